// Runs one task on one host: conditions, loop, render, plan, execute (or not, in check mode),
// changed_when/failed_when, until/retries. What came of it is normalised by task-result.ts and
// recorded (register, notify, counts, one result event per host and per loop item) by
// result-recorder.ts.

import type { Play, Task } from '../core/playbook/types.js';
import type { FactReader } from '../facts/types.js';
import { ProvisionError } from '../core/errors.js';
import { renderValue } from '../core/template.js';
import { parseYesNo } from '../core/yes-no.js';
import { modulesByName } from '../modules/index.js';
import type { ActionOutput, ModuleContext, ModuleDefinition, Plan } from '../modules/types.js';
import type { Become, RoundTripTally } from '../transport/types.js';
import { ActionFailed, describeAction, executeActions } from './actions.js';
import { TransportFactReader } from './fact-reader.js';
import { factGatheringModule } from './gather-facts.js';
import type { HostState } from './host-state.js';
import { readLocalFile } from './local-files.js';
import { PlansAhead, type PlanInputs, type PlanJob, type Stamp } from './plan-prefetch.js';
import { actsEveryTime, canPlanAhead, canPlanItemsAhead } from './probe-window.js';
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
  /** The tasks that may be planned together with this one (probe-window.ts), a loop's items each; unset: plan it alone. */
  ahead?: readonly Task[];
  /** In a loop whose items are planned together: this item's name for the plans ahead, and the items after it (then `ahead`). */
  item?: { key: object; ahead: readonly Candidate[] };
}

/** A task, or an item of a loop, that may be planned ahead: its name, and the variables the item adds. */
interface Candidate {
  key: object;
  task: Task;
  itemVars: Record<string, unknown>;
}

export class TaskExecutor {
  constructor(
    private readonly rc: RunContext,
    private readonly play: Play,
    private readonly playHosts: string[],
  ) {}

  /** Each loop item's name for the plans ahead: the same whether the item is planned in its own loop or from a task before it. */
  private readonly itemKeys = new WeakMap<Task, object[]>();

  /** Each host's plans computed ahead (plan-prefetch.ts), for this play. */
  private readonly plansAhead = new Map<HostState, PlansAhead>();

  /** `ahead`: the tasks after this one that may be planned with it (StepRunner, probe-window.ts). */
  async run(task: Task, host: HostState, handler: boolean, ahead?: readonly Task[]): Promise<TaskResult> {
    const started = Date.now();
    const module = modulesByName.get(task.module) ?? engineModules.get(task.module);
    const run: Run = { step: { task, handler, ...(module ? { module } : {}) }, host, tally: { roundTrips: 0 }, ...(ahead ? { ahead } : {}) };
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
    const loopItems = renderLoopItems(task.loop, vars, task.location);
    // Planned together (plan-prefetch.ts): each item named by an object of this run of the loop.
    const together = this.rc.options.probeWindow > 1 && canPlanItemsAhead(task, run.step.module) && !actsEveryTime(task, run.step.module, this.rc.options.check);
    const candidates = together ? loopItems.map((item, index) => ({ key: this.itemKey(task, index), task, itemVars: loopVars(task, item, index) })) : undefined;
    for (const [index, item] of loopItems.entries()) {
      if (this.rc.interrupted) break;
      // loop_control.pause: between items, in --check too (as Ansible does).
      if (index > 0 && task.loopPause) await new Promise((r) => setTimeout(r, (task.loopPause as number) * 1000));
      // Each item sees the facts the previous items set (set_fact accumulating a list), as in Ansible.
      const current = index === 0 ? vars : taskVariables(this.rc, this.play, task, run.host, this.playHosts);
      const itemVars = { ...current, ...loopVars(task, item, index) };
      const candidate = candidates?.[index];
      if (candidate) run.item = { key: candidate.key, ahead: candidates.slice(index + 1, index + this.rc.options.probeWindow) };
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
    const inputs = this.planInputs(task, args, become);
    const { check } = inputs;
    const plan = await this.plan(run, target, module, inputs, vars);
    const commands = plan.actions.map(describeAction);
    if (plan.failed !== undefined || plan.skipped !== undefined) return planOutcome(plan, commands);
    let outputs: ActionOutput[] = [];
    let failure: string | undefined;
    if (plan.actions.length > 0 && (!check || plan.runInCheckMode === true)) {
      // The host changes: what was planned ahead on it no longer holds (plan-prefetch.ts).
      target.touch();
      try {
        outputs = await executeActions(await target.connection(), plan.actions, become, run.tally);
      } catch (err) {
        if (!(err instanceof ActionFailed)) throw err;
        outputs = err.outputs;
        failure = err.message;
      } finally {
        target.touch();
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
    if (outcome.status !== 'failed' && plan.facts) run.host.setVars(plan.facts);
    return outcome;
  }

  /**
   * The task's plan: the one computed ahead if it still holds; else computed now, together with the
   * plans of the tasks ahead when there are any (their probes shared); else computed alone.
   */
  private async plan(run: Run, target: HostState, module: ModuleDefinition, inputs: PlanInputs, vars: Record<string, unknown>): Promise<Plan> {
    const { task } = run.step;
    const alone = (facts?: FactReader): Promise<Plan> =>
      module.plan(inputs.args, this.context(task, run.host, vars, inputs, facts ?? new TransportFactReader(() => target.connection(), { become: inputs.become, tally: run.tally })));
    const host = run.host;
    const plannable = this.rc.options.probeWindow > 1 && canPlanAhead(task, module);
    // A plannable task with no window of its own (a handler, the last of a list) still goes through its
    // host's plans: it reads what its window already read, unless anything happened since.
    const window = run.item ?? (plannable ? { key: task, ahead: [] } : undefined);
    if (window === undefined || target !== host) return alone();
    const plans = this.plansOf(host);
    const now = this.stamp(host);
    const computed = plans.take(window.key, inputs, now);
    if (computed) return (await computed) ?? alone();
    // Planning ahead goes over an open connection only: connecting (and its errors) stays the ordinary way's.
    if (!host.transport || this.rc.interrupted) return alone();
    const candidates = [...window.ahead, ...this.candidatesAhead(run.ahead ?? [], host, this.rc.options.probeWindow - 1 - window.ahead.length)];
    const jobs = candidates.filter((c) => !plans.has(c.key, now)).flatMap((c) => this.jobAhead(c, host) ?? []);
    return plans.window({ key: window.key, inputs, plan: alone }, jobs, now, () => host.connection(), run.tally);
  }

  /**
   * The tasks ahead as plans to compute, a loop's items each (its items rendered with the variables as
   * they are now, as its own turn would), at most `room` of them; a loop that does not render ends them.
   */
  private candidatesAhead(tasks: readonly Task[], host: HostState, room: number): Candidate[] {
    const out: Candidate[] = [];
    for (const task of tasks) {
      if (out.length >= room) break;
      if (task.loop === undefined) {
        out.push({ key: task, task, itemVars: {} });
        continue;
      }
      let items: unknown[];
      try {
        items = renderLoopItems(task.loop, taskVariables(this.rc, this.play, task, host, this.playHosts, { learnSecrets: false }), task.location);
      } catch {
        break;
      }
      items.forEach((item, index) => out.push({ key: this.itemKey(task, index), task, itemVars: loopVars(task, item, index) }));
    }
    return out.slice(0, Math.max(0, room));
  }

  private itemKey(task: Task, index: number): object {
    let keys = this.itemKeys.get(task);
    if (!keys) this.itemKeys.set(task, (keys = []));
    return (keys[index] ??= {});
  }

  /**
   * A task ahead, prepared as its own turn would (variables, condition, arguments, become) with the
   * variables as they are now; undefined when it would not be planned now (skipped, or an error,
   * which its own turn reports).
   */
  private jobAhead({ key, task, itemVars }: Candidate, host: HostState): PlanJob | undefined {
    const module = modulesByName.get(task.module);
    if (!module) return undefined;
    try {
      const vars = { ...taskVariables(this.rc, this.play, task, host, this.playHosts, { learnSecrets: false }), ...itemVars };
      if (!conditionHolds(task.when, vars, task.location)) return undefined;
      const parsed = module.args.safeParse(renderArgs(task.args, vars, task.location, module));
      if (!parsed.success) return undefined;
      const inputs = this.planInputs(task, parsed.data, this.become(task, vars));
      return { key, inputs, plan: (facts, readsVars) => module.plan(inputs.args, this.context(task, host, vars, inputs, facts, readsVars)) };
    } catch {
      return undefined;
    }
  }

  private planInputs(task: Task, args: unknown, become: Become | false): PlanInputs {
    return {
      args,
      become,
      // check_mode on the task wins over --check (false: really run; true: only check), as in Ansible.
      check: task.checkMode ?? this.rc.options.check,
      diff: this.rc.options.diff && !task.noLog,
    };
  }

  /**
   * What the module plans with. `readsVars` hears of every read of the task's variables beyond its
   * arguments: a plan computed ahead that made none holds after variables change (plan-prefetch.ts).
   */
  private context(task: Task, host: HostState, vars: Record<string, unknown>, inputs: PlanInputs, facts: FactReader, readsVars: () => void = () => undefined): ModuleContext {
    return {
      host: {
        name: host.name,
        get vars() {
          readsVars();
          return vars;
        },
      },
      facts,
      check: inputs.check,
      diff: inputs.diff,
      verbosity: this.rc.options.verbosity,
      readLocalFile: (path, kind) => readLocalFile(path, kind, task, this.rc.playbookDir),
      renderTemplate: async (text, sourceName) => {
        readsVars();
        return renderFileTemplate(text, vars, sourceName);
      },
      renderValue: (value) => {
        readsVars();
        return renderValue(value, vars, task.location);
      },
    };
  }

  private plansOf(host: HostState): PlansAhead {
    let plans = this.plansAhead.get(host);
    if (!plans) this.plansAhead.set(host, (plans = new PlansAhead()));
    return plans;
  }

  private stamp(host: HostState): Stamp {
    return { epoch: host.epoch, vars: this.rc.varsStamp() };
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

/** The variables a loop gives its item: the item, and its index when loop_control asks for it. */
function loopVars(task: Task, item: unknown, index: number): Record<string, unknown> {
  return { [task.loopVar]: item, ...(task.loopIndexVar ? { [task.loopIndexVar]: index } : {}) };
}

function itemLabel(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item);
}
