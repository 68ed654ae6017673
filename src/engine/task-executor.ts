// Runs one task on one host: conditions, loop, render, plan, execute (or not, in check mode),
// changed_when/failed_when, until/retries, register, notify. Emits one result event per host
// (and one per loop item).

import type { Play, Task } from '../core/playbook/types.js';
import { ConnectionError, ProvisionError } from '../core/errors.js';
import { parseYesNo } from '../core/yes-no.js';
import { modulesByName } from '../modules/index.js';
import type { ActionOutput, ModuleContext, ModuleDefinition, Plan } from '../modules/types.js';
import type { Become, Transport } from '../transport/types.js';
import { ActionFailed, describeAction, executeActions } from './actions.js';
import type { TaskStatus } from './events.js';
import { TransportFactReader } from './fact-reader.js';
import type { HostState } from './host-state.js';
import { readLocalFile } from './local-files.js';
import type { RunContext } from './run-context.js';
import { conditionHolds, renderArgs, renderCount, renderFileTemplate, renderLoopItems } from './templating.js';
import { taskVariables } from './task-vars.js';

const NO_LOG_MSG = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export interface TaskResult {
  status: TaskStatus;
  /** The value `register:` stores. */
  data: Record<string, unknown>;
}

interface Attempt {
  status: TaskStatus;
  data: Record<string, unknown>;
  plan?: Plan;
  commands: string[];
}

export class TaskExecutor {
  constructor(
    private readonly rc: RunContext,
    private readonly play: Play,
    private readonly playHosts: string[],
  ) {}

  async run(task: Task, host: HostState, handler: boolean): Promise<TaskResult> {
    const started = Date.now();
    // Counts this task's own round trips: a delegate's connection may serve several hosts' tasks at once.
    const counted = new Map<string, Target>();
    // delegate_to is rendered with each loop item, as in Ansible (`delegate_to: "<%= item %>"`).
    const targetFor = (vars: Record<string, unknown>): Target => {
      const name = task.delegateTo ? String(renderArgs(task.delegateTo, vars, task.location)) : host.name;
      let target = counted.get(name);
      if (!target) {
        target = countingTarget(name === host.name ? host : this.rc.hostState(name));
        counted.set(name, target);
      }
      return target;
    };
    let outcome: Attempt;
    try {
      outcome = await this.runWithLoop(task, host, targetFor, handler);
    } catch (err) {
      outcome = this.failure(err);
    }
    // As in Ansible, an unreachable delegate makes the task's own host unreachable (not the delegate).
    if (outcome.status === 'unreachable') host.unreachable = true;
    const result = this.finish(task, host, outcome);
    this.rc.emit({
      type: 'result',
      host: host.name,
      task: task.name,
      status: result.status,
      duration_ms: Date.now() - started,
      round_trips: [...counted.values()].reduce((sum, t) => sum + t.roundTrips, 0),
      handler,
      check: this.rc.options.check,
      ...this.eventDetails(task, outcome),
    });
    return result;
  }

  private async runWithLoop(task: Task, host: HostState, targetFor: (vars: Record<string, unknown>) => Target, handler: boolean): Promise<Attempt> {
    const vars = taskVariables(this.rc, this.play, task, host, this.playHosts);
    if (task.loop === undefined) {
      if (!conditionHolds(task.when, vars, task.location)) return skipped('conditional result was false');
      return this.attempt(task, host, targetFor(vars), vars);
    }
    const items = renderLoopItems(task.loop, vars, task.location);
    const results: Record<string, unknown>[] = [];
    const commands: string[] = [];
    let changed = false;
    let failed = false;
    let ran = 0;
    for (const [index, item] of items.entries()) {
      const itemVars = { ...vars, [task.loopVar]: item, ...(task.loopIndexVar ? { [task.loopIndexVar]: index } : {}) };
      const started = Date.now();
      const target = targetFor(itemVars);
      const trips0 = target.roundTrips;
      let attempt: Attempt;
      if (!conditionHolds(task.when, itemVars, task.location)) {
        attempt = skipped('conditional result was false');
      } else {
        ran++;
        try {
          attempt = await this.attempt(task, host, target, itemVars);
        } catch (err) {
          attempt = this.failure(err);
        }
      }
      if (attempt.status === 'unreachable') return attempt;
      changed ||= attempt.status === 'changed';
      failed ||= attempt.status === 'failed';
      commands.push(...attempt.commands);
      results.push({ ...attempt.data, [task.loopVar]: item });
      this.rc.emit({
        type: 'result',
        host: host.name,
        task: task.name,
        status: attempt.status,
        duration_ms: Date.now() - started,
        round_trips: target.roundTrips - trips0,
        handler,
        check: this.rc.options.check,
        // no_log hides the item too (Ansible shows "item=None").
        item: task.noLog ? '(censored)' : task.loopLabel !== undefined ? itemLabel(renderArgs(task.loopLabel, itemVars, task.location)) : itemLabel(item),
        ...this.eventDetails(task, attempt),
      });
      if (failed && !task.ignoreErrors) break;
    }
    const status: TaskStatus = failed ? 'failed' : ran === 0 ? 'skipped' : changed ? 'changed' : 'ok';
    const data: Record<string, unknown> = { changed, failed, results };
    if (ran === 0) data.skipped = true;
    if (failed) data.msg = 'One or more items failed';
    return { status, data, commands };
  }

  private async attempt(task: Task, host: HostState, target: Target, vars: Record<string, unknown>): Promise<Attempt> {
    const module = modulesByName.get(task.module);
    if (!module) throw new ProvisionError(`unknown module '${task.module}'`);
    const rendered = renderArgs(task.args, vars, task.location, module, task.module);
    const parsed = module.args.safeParse(rendered);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      return failedAttempt(`invalid arguments${where}: ${issue?.message ?? 'rejected'}`);
    }
    const become = this.become(task, vars);
    const retries = task.until ? Math.max(1, renderCount(task.retries, 'retries', vars, task.location)) : 1;
    const delaySeconds = task.until ? renderCount(task.delaySeconds, 'delay', vars, task.location) : 0;
    let last: Attempt = failedAttempt('not run');
    for (let attemptNo = 1; attemptNo <= retries; attemptNo++) {
      last = await this.planAndExecute(task, module, parsed.data, host, target, vars, become);
      if (task.until === undefined || last.status === 'unreachable') break;
      const untilVars = task.register ? { ...vars, [task.register]: last.data } : vars;
      if (conditionHolds([task.until], untilVars, task.location)) break;
      last.data.attempts = attemptNo;
      if (attemptNo === retries) {
        last = { ...last, status: 'failed', data: { ...last.data, failed: true, msg: `'until' condition still false after ${retries} attempts` } };
        break;
      }
      await new Promise((r) => setTimeout(r, delaySeconds * 1000));
    }
    return last;
  }

  private async planAndExecute(
    task: Task,
    module: ModuleDefinition,
    args: unknown,
    host: HostState,
    target: Target,
    vars: Record<string, unknown>,
    become: Become | false,
  ): Promise<Attempt> {
    const { diff } = this.rc.options;
    // check_mode on the task wins over --check (false: really run; true: only check), as in Ansible.
    const check = task.checkMode ?? this.rc.options.check;
    const ctx: ModuleContext = {
      host: { name: host.name, vars },
      facts: new TransportFactReader(() => target.connection(), become),
      check,
      diff: diff && !task.noLog,
      readLocalFile: (path, kind) => readLocalFile(path, kind, task, this.rc.playbookDir),
      renderTemplate: async (text, sourceName) => renderFileTemplate(text, vars, sourceName),
    };
    const plan = await module.plan(args, ctx);
    const commands = plan.actions.map(describeAction);
    if (plan.failed !== undefined) {
      return { status: 'failed', data: { ...plan.result, changed: false, failed: true, msg: plan.failed }, plan, commands };
    }
    if (plan.result?.skipped === true) {
      return { status: 'skipped', data: { ...plan.result, changed: false }, plan, commands };
    }
    const execute = plan.actions.length > 0 && (!check || plan.runInCheckMode === true);
    let outputs: ActionOutput[] = [];
    let failure: string | undefined;
    if (execute) {
      try {
        outputs = await executeActions(await target.connection(), plan.actions, become);
      } catch (err) {
        if (!(err instanceof ActionFailed)) throw err;
        outputs = err.outputs;
        failure = err.message;
      }
    }
    let changed = plan.actions.length > 0 || plan.changed === true;
    let failed = failure !== undefined;
    const data: Record<string, unknown> = {
      ...plan.result,
      ...(module.interpret && outputs.length > 0 ? module.interpret(args, outputs) : {}),
    };
    if (failure !== undefined) data.msg = failure;
    if (plan.diff && diff) data.diff = plan.diff;
    // changed_when / failed_when see the result under the register name, as in Ansible.
    const resultVars = task.register ? { ...vars, [task.register]: { ...data, changed, failed } } : vars;
    if (task.changedWhen) changed = conditionHolds(task.changedWhen, resultVars, task.location);
    if (task.failedWhen) {
      failed = conditionHolds(task.failedWhen, resultVars, task.location);
      if (!failed) delete data.msg;
      else if (data.msg === undefined) data.msg = 'failed_when condition was true';
    }
    if (!failed && plan.facts) Object.assign(host.runtimeVars, plan.facts);
    data.changed = changed;
    data.failed = failed;
    const status: TaskStatus = failed ? 'failed' : changed ? 'changed' : 'ok';
    return { status, data, plan, commands };
  }

  private become(task: Task, vars: Record<string, unknown>): Become | false {
    const enabled = task.become ?? (this.play.become || parseYesNo(vars.ansible_become) === true);
    if (!enabled) return false;
    const user = task.becomeUser ?? this.play.becomeUser ?? (vars.ansible_become_user as string | undefined);
    return user && user !== 'root' ? { user } : {};
  }

  private failure(err: unknown): Attempt {
    if (err instanceof ConnectionError) {
      return { status: 'unreachable', data: { unreachable: true, msg: err.detail }, commands: [] };
    }
    if (err instanceof ProvisionError) return failedAttempt(err.message);
    // An unexpected error is a bug, but one host's bug must not stop the others.
    return failedAttempt(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }

  private finish(task: Task, host: HostState, outcome: Attempt): TaskResult {
    // no_log hides the result from every report (eventDetails), not from register: as in Ansible, a
    // secret read with no_log stays usable by later tasks.
    const { status, data } = outcome;
    if (task.register) host.runtimeVars[task.register] = { ...data, skipped: status === 'skipped' ? true : data.skipped };
    if (status === 'changed' && task.notify.length > 0) for (const n of task.notify) host.notified.add(n);
    if (status === 'unreachable') {
      host.counts.unreachable++;
      return { status, data };
    }
    if (status === 'failed') {
      if (task.ignoreErrors) {
        host.counts.ignored++;
        host.counts.ok++;
      } else {
        host.counts.failed++;
        host.failed = true;
      }
      return { status, data };
    }
    host.counts[status]++;
    return { status, data };
  }

  private eventDetails(task: Task, outcome: Attempt) {
    if (task.noLog) return { msg: outcome.status === 'failed' || outcome.status === 'unreachable' ? NO_LOG_MSG : undefined, ignored: ignored(task, outcome) };
    const d = outcome.data;
    const isDebug = modulesByName.get(task.module)?.name === 'debug';
    return {
      msg: typeof d.msg === 'string' ? d.msg : undefined,
      display: isDebug && outcome.status === 'ok' ? debugText(d.msg) : undefined,
      diff: outcome.plan?.diff && this.rc.options.diff && !outcome.plan.actions.some((a) => a.sensitive) ? outcome.plan.diff : undefined,
      commands: outcome.commands.length > 0 ? outcome.commands : undefined,
      stdout: typeof d.stdout === 'string' ? d.stdout : undefined,
      stderr: typeof d.stderr === 'string' ? d.stderr : undefined,
      ignored: ignored(task, outcome),
    };
  }
}

/** The connection a task runs on, as that task sees it: `roundTrips` counts only its own calls. */
interface Target {
  readonly name: string;
  connection(): Promise<Transport>;
  readonly roundTrips: number;
}

function countingTarget(state: HostState): Target {
  let trips = 0;
  const count = (n: number): void => {
    if (n > 0) trips++;
  };
  return {
    name: state.name,
    get roundTrips() {
      return trips;
    },
    async connection() {
      const t = await state.connection();
      return {
        host: t.host,
        get roundTrips() {
          return t.roundTrips;
        },
        connect: () => t.connect(),
        close: () => t.close(),
        exec: (command, options) => (count(1), t.exec(command, options)),
        execBatch: (commands, options) => (count(commands.length), t.execBatch(commands, options)),
        get: (path, options) => (count(1), t.get(path, options)),
      };
    },
  };
}

function debugText(msg: unknown): string | undefined {
  if (msg === undefined) return undefined;
  return typeof msg === 'string' ? msg : JSON.stringify(msg, null, 2);
}

function ignored(task: Task, outcome: Attempt): boolean | undefined {
  return outcome.status === 'failed' && task.ignoreErrors ? true : undefined;
}

function skipped(reason: string): Attempt {
  return { status: 'skipped', data: { changed: false, skipped: true, skip_reason: reason }, commands: [] };
}

function failedAttempt(msg: string): Attempt {
  return { status: 'failed', data: { changed: false, failed: true, msg }, commands: [] };
}

function itemLabel(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}
