// The one place a host's result is recorded (Ansible's TaskResult and the strategy's bookkeeping):
// the host's counts and failed/unreachable marks, `register`, `notify`, and the `result` event that
// reporters see, with no_log applied. Tasks, loop items, handlers and fact gathering all come here.

import type { Task } from '../core/playbook/types.js';
import type { ControlRequest, ModuleDefinition } from '../modules/types.js';
import type { RunEvent, TaskStatus } from './events.js';
import type { HostState } from './host-state.js';
import type { RunContext } from './run-context.js';
import { isSecretName } from '../core/secret-names.js';
import { noLogValues, previousSecrets, secretValues } from './secrets.js';
import type { Outcome } from './task-result.js';

const NO_LOG_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

export interface TaskResult {
  status: TaskStatus;
  /** The value `register:` stores. */
  data: Record<string, unknown>;
  /** What the task asks of the play runner (meta: flush_handlers, end_host, ...). */
  control?: ControlRequest;
}

/** What a result is recorded for. */
export interface ResultStep {
  task: Task;
  handler: boolean;
  /** The task's module, when known: its display() gives the text the task exists to show. */
  module?: ModuleDefinition;
}

export interface Measure {
  /** Date.now() when the step (or the item) started. */
  started: number;
  roundTrips: number;
}

/** One loop item: its own event; the counts, register and notify come with the task's result. */
export function recordItemResult(rc: RunContext, host: HostState, step: ResultStep, outcome: Outcome, measure: Measure, item: string): void {
  learnSecrets(rc, step, outcome);
  rc.emit(resultEvent(rc, host, step, outcome, measure, item));
}

/** A task's (or handler's) result on a host: bookkeeping, then its event. */
export function recordTaskResult(rc: RunContext, host: HostState, step: ResultStep, outcome: Outcome, measure: Measure): TaskResult {
  const { task } = step;
  const { status, data } = outcome;
  // no_log hides the result from every report (the event), not from register: as in Ansible, a
  // secret read with no_log stays usable by later tasks.
  if (task.register) host.setVars({ [task.register]: { ...data, skipped: status === 'skipped' ? true : data.skipped } });
  // A failure may leave the host half-changed: plans computed ahead of it are not used (plan-prefetch.ts).
  if (status === 'failed' || status === 'unreachable') host.touch();
  if (status === 'changed') for (const n of task.notify) host.notified.add(n);
  if (step.module?.uncounted && status !== 'failed' && status !== 'unreachable') {
    // Not in the recap (Ansible's meta).
  } else if (status === 'unreachable') {
    // As in Ansible, an unreachable delegate makes the task's own host unreachable (not the delegate).
    host.unreachable = true;
    host.counts.unreachable++;
  } else if (status === 'failed') {
    if (task.ignoreErrors) {
      host.counts.ignored++;
      host.counts.ok++;
    } else {
      host.counts.failed++;
      host.failed = true;
    }
  } else {
    host.counts[status]++;
  }
  learnSecrets(rc, step, outcome);
  rc.emit(resultEvent(rc, host, step, outcome, measure));
  return { status, data, ...(outcome.control ? { control: outcome.control } : {}) };
}

/**
 * A dynamic include on a host: as in Ansible, a skip or a failure (the file could not be loaded) is
 * counted, an inclusion is not (the included tasks are).
 */
export function recordIncludeResult(rc: RunContext, host: HostState, step: ResultStep, outcome: Outcome, measure: Measure): void {
  if (outcome.status === 'ok') rc.emit(resultEvent(rc, host, step, outcome, measure));
  else recordTaskResult(rc, host, step, outcome, measure);
}

/**
 * Before a result is shown: what it made secret. A no_log task's output and facts, a registered
 * variable whose name is secret, secret-named facts (set_fact), and the previous secrets that the
 * old side of a diff holds where the new side has a known one.
 */
function learnSecrets(rc: RunContext, step: ResultStep, outcome: Outcome): void {
  const { task } = step;
  const facts = outcome.plan?.facts;
  if (task.noLog || (task.register !== undefined && isSecretName(task.register))) rc.addSecrets(noLogValues(outcome.data, facts));
  if (facts) rc.addSecrets(secretValues(facts));
  for (const diff of outcome.plan?.diff ?? []) rc.addSecrets(previousSecrets(diff, (text) => rc.secretsIn(text)));
}

/** run_once: another host of the batch takes the first host's registered result, facts and failure. */
export function shareRunOnceResult(host: HostState, first: HostState, task: Task, result: TaskResult): void {
  // As in Ansible, a run_once failure (not ignored) fails every host of the batch.
  if (result.status === 'failed' && !task.ignoreErrors) host.failed = true;
  if (task.register) host.setVars({ [task.register]: result.data });
  const inherited = Object.fromEntries(Object.entries(first.runtimeVars).filter(([key]) => !(key in host.runtimeVars)));
  if (Object.keys(inherited).length > 0) host.setVars(inherited);
}

function resultEvent(rc: RunContext, host: HostState, step: ResultStep, outcome: Outcome, measure: Measure, item?: string): ResultEvent {
  return {
    type: 'result',
    host: host.name,
    task: step.task.name,
    status: outcome.status,
    duration_ms: Date.now() - measure.started,
    round_trips: measure.roundTrips,
    handler: step.handler,
    check: rc.options.check,
    ...(item !== undefined ? { item } : {}),
    ...details(rc, step, outcome),
  };
}

function details(rc: RunContext, step: ResultStep, outcome: Outcome): Partial<ResultEvent> {
  const ignored = outcome.status === 'failed' && step.task.ignoreErrors ? true : undefined;
  if (step.task.noLog) return { msg: outcome.status === 'failed' || outcome.status === 'unreachable' ? NO_LOG_MSG : undefined, ignored };
  const d = outcome.data;
  const plan = outcome.plan;
  return {
    msg: typeof d.msg === 'string' ? d.msg : undefined,
    display: outcome.status === 'ok' && step.module?.display ? step.module.display(d) : undefined,
    diff: plan?.diff && rc.options.diff && !plan.actions.some((a) => a.sensitive) ? plan.diff : undefined,
    commands: outcome.commands.length > 0 ? outcome.commands : undefined,
    stdout: typeof d.stdout === 'string' ? d.stdout : undefined,
    stderr: typeof d.stderr === 'string' ? d.stderr : undefined,
    ignored,
  };
}
