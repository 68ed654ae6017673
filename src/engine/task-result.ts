// The one normaliser of what a step did on a host (Ansible's task_executor result handling): a plan
// and its executed actions, a skip, an error and a loop's items all become an Outcome, whose `data`
// has the registered result's shape (changed, failed, skipped, msg, results, ...) and whose status
// follows from it. Recording it (counts, register, notify, the event) is result-recorder.ts.

import { ConnectionError, messageOnHost, ProvisionError } from '../core/errors.js';
import type { ControlRequest, Plan } from '../modules/types.js';
import type { TaskStatus } from './events.js';

export interface Outcome {
  status: TaskStatus;
  /** The value `register:` stores. */
  data: Record<string, unknown>;
  /** The plan the outcome came from, if any (its diff and its actions' sensitivity matter to reports). */
  plan?: Plan;
  /** What was run (or would have been, in check mode), as reports show it. */
  commands: string[];
  /** What the step asks of the play runner (meta). */
  control?: ControlRequest;
}

export function skippedOutcome(reason: string, from?: { plan: Plan; commands: string[] }): Outcome {
  return {
    status: 'skipped',
    data: { ...from?.plan.result, changed: false, skipped: true, skip_reason: reason },
    commands: from?.commands ?? [],
    ...(from ? { plan: from.plan } : {}),
  };
}

export function failedOutcome(msg: string): Outcome {
  return { status: 'failed', data: { changed: false, failed: true, msg }, commands: [] };
}

/**
 * An error thrown while running a step on `host`: unreachable for a lost connection, else failed. The
 * message leaves out the host when it is this one (reports print it beside the host already); an error
 * of another host (a delegate's) keeps its name.
 */
export function errorOutcome(err: unknown, host: string): Outcome {
  if (err instanceof ConnectionError) {
    return { status: 'unreachable', data: { unreachable: true, msg: err.detail }, commands: [] };
  }
  if (err instanceof ProvisionError) return failedOutcome(messageOnHost(err, host));
  // An unexpected error is a bug, but one host's bug must not stop the others.
  return failedOutcome(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

export interface Execution {
  /** What the module's interpret() made of the executed actions' outputs. */
  interpreted: Record<string, unknown>;
  /** Why an action failed (its stderr, stdout or exit code), when one did. */
  failure?: string;
  /** Put the plan's diff into the registered result (--diff). */
  diff: boolean;
}

/**
 * A plan's outcome: failed when the plan says so or an action failed, skipped when the plan says so,
 * else changed when it had actions (or says it changed), else ok.
 */
export function planOutcome(plan: Plan, commands: string[], execution?: Execution): Outcome {
  if (plan.failed !== undefined) {
    return { status: 'failed', data: { ...plan.result, changed: false, failed: true, msg: plan.failed }, plan, commands };
  }
  if (plan.skipped !== undefined) return skippedOutcome(plan.skipped, { plan, commands });
  const changed = plan.actions.length > 0 || plan.changed === true;
  const failed = execution?.failure !== undefined;
  const data: Record<string, unknown> = { ...plan.result, ...execution?.interpreted };
  if (execution?.failure !== undefined) data.msg = execution.failure;
  if (plan.diff && execution?.diff) data.diff = plan.diff;
  data.changed = changed;
  data.failed = failed;
  return { status: statusOf(changed, failed), data, plan, commands, ...(plan.control && !failed ? { control: plan.control } : {}) };
}

/** changed_when / failed_when: override what the plan said (a failure that no longer is loses its msg). */
export function overrideOutcome(outcome: Outcome, override: { changed?: boolean; failed?: boolean }): Outcome {
  const data = { ...outcome.data };
  if (override.changed !== undefined) data.changed = override.changed;
  if (override.failed !== undefined) {
    data.failed = override.failed;
    if (!override.failed) delete data.msg;
    else if (data.msg === undefined) data.msg = 'failed_when condition was true';
  }
  return { ...outcome, data, status: statusOf(data.changed === true, data.failed === true) };
}

/** `until` gave up after `retries` retries: the last attempt's outcome, failed (`attempts` = retries, as ansible-core registers it). */
export function retriesExhausted(outcome: Outcome, retries: number): Outcome {
  const msg = `'until' condition still false after ${retries + 1} attempts`;
  return { ...outcome, status: 'failed', data: { ...outcome.data, failed: true, attempts: retries, msg } };
}

export interface LoopItem {
  outcome: Outcome;
  item: unknown;
  /** False when `when` skipped the item (a plan's own skip still ran). */
  ran: boolean;
}

/**
 * A looped task's outcome: one `results` entry per item; skipped when every item was skipped, by
 * `when` or by the module itself (a command in check mode), as ansible-core does.
 */
export function loopOutcome(items: readonly LoopItem[], loopVar: string): Outcome {
  const failed = items.some((i) => i.outcome.status === 'failed');
  const changed = items.some((i) => i.outcome.status === 'changed');
  const ran = items.some((i) => i.ran && i.outcome.status !== 'skipped');
  const data: Record<string, unknown> = { changed, failed, results: items.map((i) => ({ ...i.outcome.data, [loopVar]: i.item })) };
  if (!ran) data.skipped = true;
  if (failed) data.msg = 'One or more items failed';
  const status: TaskStatus = failed ? 'failed' : !ran ? 'skipped' : changed ? 'changed' : 'ok';
  return { status, data, commands: items.flatMap((i) => i.outcome.commands) };
}

function statusOf(changed: boolean, failed: boolean): TaskStatus {
  return failed ? 'failed' : changed ? 'changed' : 'ok';
}
