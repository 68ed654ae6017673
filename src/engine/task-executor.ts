// Runs one task on one host: conditions, loop, render, plan, execute (or not, in check mode),
// changed_when/failed_when, until/retries. What came of it is normalised by task-result.ts and
// recorded (register, notify, counts, one result event per host and per loop item) by
// result-recorder.ts.

import type { Play, Task } from '../core/playbook/types.js';
import { ProvisionError } from '../core/errors.js';
import { renderValue } from '../core/template.js';
import { parseYesNo } from '../core/yes-no.js';
import { modulesByName } from '../modules/index.js';
import type { ActionOutput, ModuleContext, ModuleDefinition } from '../modules/types.js';
import type { Become, RoundTripTally } from '../transport/types.js';
import { ActionFailed, describeAction, executeActions } from './actions.js';
import { TransportFactReader } from './fact-reader.js';
import { factGatheringModule } from './gather-facts.js';
import type { HostState } from './host-state.js';
import { readLocalFile } from './local-files.js';
import { recordItemResult, recordTaskResult, type ResultStep, type TaskResult } from './result-recorder.js';
import type { RunContext } from './run-context.js';
import { errorOutcome, failedOutcome, loopOutcome, overrideOutcome, planOutcome, retriesExhausted, skippedOutcome, type LoopItem, type Outcome } from './task-result.js';
import { conditionHolds, renderArgs, renderCount, renderFileTemplate, renderLoopItems } from './templating.js';
import { taskVariables } from './task-vars.js';

export type { TaskResult } from './result-recorder.js';

/** Modules the engine runs itself (fact gathering), which no playbook task can name. */
const engineModules: ReadonlyMap<string, ModuleDefinition> = new Map([[factGatheringModule.name, factGatheringModule]]);

/** One task's run on one host: the step it records results for, and its own round trips. */
interface Run {
  step: ResultStep;
  host: HostState;
  /** Counted by the transport for this task's calls only: a delegate's connection may serve several hosts at once. */
  tally: RoundTripTally;
}

export class TaskExecutor {
  constructor(
    private readonly rc: RunContext,
    private readonly play: Play,
    private readonly playHosts: string[],
  ) {}

  async run(task: Task, host: HostState, handler: boolean): Promise<TaskResult> {
    const started = Date.now();
    const module = modulesByName.get(task.module) ?? engineModules.get(task.module);
    const run: Run = { step: { task, handler, ...(module ? { module } : {}) }, host, tally: { roundTrips: 0 } };
    let outcome: Outcome;
    try {
      outcome = await this.runWithLoop(run);
    } catch (err) {
      outcome = errorOutcome(err, host.name);
    }
    return recordTaskResult(this.rc, host, run.step, outcome, { started, roundTrips: run.tally.roundTrips });
  }

  private async runWithLoop(run: Run): Promise<Outcome> {
    const { task } = run.step;
    const vars = taskVariables(this.rc, this.play, task, run.host, this.playHosts);
    if (task.loop === undefined) {
      if (!conditionHolds(task.when, vars, task.location)) return skippedOutcome('conditional result was false');
      return this.attempt(run, vars);
    }
    const items: LoopItem[] = [];
    for (const [index, item] of renderLoopItems(task.loop, vars, task.location).entries()) {
      if (this.rc.interrupted) break;
      // loop_control.pause: between items, in --check too (as Ansible does).
      if (index > 0 && task.loopPause) await new Promise((r) => setTimeout(r, (task.loopPause as number) * 1000));
      // Each item sees the facts the previous items set (set_fact accumulating a list), as in Ansible.
      const current = index === 0 ? vars : taskVariables(this.rc, this.play, task, run.host, this.playHosts);
      const itemVars = { ...current, [task.loopVar]: item, ...(task.loopIndexVar ? { [task.loopIndexVar]: index } : {}) };
      const started = Date.now();
      const trips0 = run.tally.roundTrips;
      const ran = conditionHolds(task.when, itemVars, task.location);
      let outcome: Outcome;
      try {
        outcome = ran ? await this.attempt(run, itemVars) : skippedOutcome('conditional result was false');
      } catch (err) {
        outcome = errorOutcome(err, run.host.name);
      }
      if (outcome.status === 'unreachable') return outcome;
      items.push({ outcome, item, ran });
      // no_log hides the item too (Ansible shows "item=None").
      const label = task.noLog ? '(censored)' : task.loopLabel !== undefined ? itemLabel(renderArgs(task.loopLabel, itemVars, task.location)) : itemLabel(item);
      recordItemResult(this.rc, run.host, run.step, outcome, { started, roundTrips: run.tally.roundTrips - trips0 }, label);
      // A failed item does not stop the loop: the other items run and the task fails at the end (Ansible).
    }
    return loopOutcome(items, task.loopVar);
  }

  private async attempt(run: Run, vars: Record<string, unknown>): Promise<Outcome> {
    const { task, module } = run.step;
    // delegate_to is rendered with each loop item, as in Ansible (`delegate_to: "<%= item %>"`).
    const target = task.delegateTo ? this.rc.hostState(String(renderArgs(task.delegateTo, vars, task.location))) : run.host;
    if (!module) throw new ProvisionError(`unknown module '${task.module}'`);
    const parsed = module.args.safeParse(renderArgs(task.args, vars, task.location, module));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
      return failedOutcome(`invalid arguments${where}: ${issue?.message ?? 'rejected'}`);
    }
    const become = this.become(task, vars);
    // As ansible-core: `retries: N` means N retries after the first attempt (N+1 attempts), the
    // attempt number is registered as `attempts`, and `retries: 0` makes one attempt without `until`.
    const retries = task.until ? renderCount(task.retries, 'retries', vars, task.location) : 0;
    const attempts = retries > 0 ? retries + 1 : 1;
    const delaySeconds = task.until ? renderCount(task.delaySeconds, 'delay', vars, task.location) : 0;
    let last: Outcome = failedOutcome('not run');
    for (let attemptNo = 1; attemptNo <= attempts; attemptNo++) {
      last = await this.planAndExecute(run, target, module, parsed.data, vars, become);
      if (task.until === undefined || last.status === 'unreachable' || this.rc.interrupted) break;
      last.data.attempts = attemptNo;
      // A skipped attempt (a command in check mode) is not retried: Ansible reports it skipped.
      if (attempts === 1 || last.status === 'skipped') break;
      const untilVars = task.register ? { ...vars, [task.register]: last.data } : vars;
      if (conditionHolds([task.until], untilVars, task.location)) break;
      if (attemptNo === attempts) {
        last = retriesExhausted(last, retries);
        break;
      }
      await new Promise((r) => setTimeout(r, delaySeconds * 1000));
    }
    return last;
  }

  private async planAndExecute(
    run: Run,
    target: HostState,
    module: ModuleDefinition,
    args: unknown,
    vars: Record<string, unknown>,
    become: Become | false,
  ): Promise<Outcome> {
    const { task } = run.step;
    const { diff } = this.rc.options;
    // check_mode on the task wins over --check (false: really run; true: only check), as in Ansible.
    const check = task.checkMode ?? this.rc.options.check;
    const ctx: ModuleContext = {
      host: { name: run.host.name, vars },
      facts: new TransportFactReader(() => target.connection(), { become, tally: run.tally }),
      check,
      diff: diff && !task.noLog,
      verbosity: this.rc.options.verbosity,
      readLocalFile: (path, kind) => readLocalFile(path, kind, task, this.rc.playbookDir),
      renderTemplate: async (text, sourceName) => renderFileTemplate(text, vars, sourceName),
      renderValue: (value) => renderValue(value, vars, task.location),
    };
    const plan = await module.plan(args, ctx);
    const commands = plan.actions.map(describeAction);
    if (plan.failed !== undefined || plan.skipped !== undefined) return planOutcome(plan, commands);
    let outputs: ActionOutput[] = [];
    let failure: string | undefined;
    if (plan.actions.length > 0 && (!check || plan.runInCheckMode === true)) {
      try {
        outputs = await executeActions(await target.connection(), plan.actions, become, run.tally);
      } catch (err) {
        if (!(err instanceof ActionFailed)) throw err;
        outputs = err.outputs;
        failure = err.message;
      }
    }
    const interpreted = module.interpret && outputs.length > 0 ? module.interpret(args, outputs) : {};
    let outcome = planOutcome(plan, commands, { interpreted, diff, ...(failure !== undefined ? { failure } : {}) });
    if (task.changedWhen || task.failedWhen) {
      // changed_when / failed_when see the result under the register name, as in Ansible.
      const resultVars = task.register ? { ...vars, [task.register]: { ...outcome.data } } : vars;
      outcome = overrideOutcome(outcome, {
        ...(task.changedWhen ? { changed: conditionHolds(task.changedWhen, resultVars, task.location) } : {}),
        ...(task.failedWhen ? { failed: conditionHolds(task.failedWhen, resultVars, task.location) } : {}),
      });
    }
    if (outcome.status !== 'failed' && plan.facts) Object.assign(run.host.runtimeVars, plan.facts);
    return outcome;
  }

  private become(task: Task, vars: Record<string, unknown>): Become | false {
    // Extra vars win over the play's and the task's keywords, as in Ansible.
    const extra = this.rc.options.extraVars;
    const forced = extra.ansible_become !== undefined ? parseYesNo(extra.ansible_become) : undefined;
    const enabled = forced ?? task.become ?? (this.play.become || parseYesNo(vars.ansible_become) === true);
    if (!enabled) return false;
    const forcedUser = extra.ansible_become_user !== undefined ? String(extra.ansible_become_user) : undefined;
    const user = forcedUser ?? task.becomeUser ?? this.play.becomeUser ?? (vars.ansible_become_user as string | undefined);
    return user && user !== 'root' ? { user } : {};
  }
}

function itemLabel(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}
