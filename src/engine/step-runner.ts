// Walks a play's task tree for a set of hosts, as Ansible's PlayIterator with the linear strategy
// does: every host still running finishes a step before the next starts. A block runs its tasks on
// its hosts; the hosts that failed in it then run `rescue` (not failed any more, `rescued` in the
// recap, `ansible_failed_task`/`ansible_failed_result` set), and `always` runs on every host that
// entered the block, failed or not. A dynamic include is evaluated per host (file name, loop, when)
// and the hosts that included the same file with the same item run it together. A module's control
// request (meta: flush_handlers, end_host, end_batch, end_play) is acted on here, by its kind only.
// With strategy free, each host gets its own walker.

import type { Play, Step, Task, BlockStep, IncludeStep } from '../core/playbook/types.js';
import { INCLUDED_PREFIX } from './events.js';
import type { HostState } from './host-state.js';
import { forEachLimited } from './pool.js';
import { recordIncludeResult, shareRunOnceResult, type TaskResult } from './result-recorder.js';
import type { RunContext } from './run-context.js';
import type { TaskExecutor } from './task-executor.js';
import { errorOutcome, skippedOutcome } from './task-result.js';
import { matchesTaskName, tagsSelect } from './task-filter.js';
import { taskVariables } from './task-vars.js';
import { conditionHolds, renderArgs, renderLoopItems } from './templating.js';
import { taskStartEvent } from './task-start.js';
import { modulesByName } from '../modules/index.js';
import { actsEveryTime, canJoinWindow, tasksAhead } from './probe-window.js';

export interface StepRunnerOptions {
  rc: RunContext;
  play: Play;
  executor: TaskExecutor;
  /** Every host of the batch (end_batch and end_play end them all). */
  batch: HostState[];
  playHosts: string[];
  /** --start-at-task: tasks are skipped until one matches. */
  startTask?: string;
  /** strategy free: this walker serves one host, and task_end names it. */
  freeHost?: HostState;
  /** Runs the notified handlers of these hosts now (meta: flush_handlers). */
  flushHandlers(hosts: HostState[]): Promise<void>;
  /** meta end_play: the later batches do not run either. */
  endPlay(): void;
}

/** One included file for a group of hosts: the steps (with the loop item's variables) and the hosts. */
interface Inclusion {
  key: string;
  steps: Step[];
  hosts: HostState[];
}

export class StepRunner {
  private pendingStart: string | undefined;
  /** Each host's last failure, for `ansible_failed_task`/`ansible_failed_result` in rescue. */
  private readonly failures = new Map<HostState, { task: Task; result: Record<string, unknown> }>();

  constructor(private readonly o: StepRunnerOptions) {
    this.pendingStart = o.startTask;
  }

  /** `after`: the steps that run once these have (the rest of the list around a block), for planning ahead. */
  async runSteps(steps: readonly Step[], hosts: readonly HostState[], after: readonly Step[] = []): Promise<void> {
    for (const [index, step] of steps.entries()) {
      const active = hosts.filter((h) => h.active);
      // A stopped run (rc.stopped) starts no further step.
      if (active.length === 0 || this.o.rc.stopped !== undefined) return;
      if (step.kind === 'task') await this.runTask(step.task, active, followingSteps(steps, index, after));
      else if (step.kind === 'block') await this.runBlock(step, active, [...steps.slice(index + 1), ...after]);
      else await this.runInclude(step, active);
    }
  }

  /** --start-at-task, then --tags/--skip-tags (as in Ansible: the start is found first, tags select after it). */
  private selected(task: Task): boolean {
    if (this.pendingStart !== undefined) {
      if (!matchesTaskName(task, this.pendingStart)) return false;
      this.pendingStart = undefined;
    }
    return tagsSelect(task.tags, this.o.rc.options.tags, this.o.rc.options.skipTags);
  }

  private emitStart(task: Task, hosts: readonly HostState[]): void {
    this.o.rc.emit(taskStartEvent(this.o.play, task, hosts.map((h) => h.name), false));
  }

  private emitEnd(task: Task): void {
    const host = this.o.freeHost?.name;
    this.o.rc.emit({ type: 'task_end', play: this.o.play.name, task: task.name, ...(host ? { host } : {}) });
  }

  /**
   * The tasks after this one that each host may plan with it (--probe-window, plan-prefetch.ts);
   * undefined when they are planned one by one.
   */
  private tasksAhead(task: Task, following: Iterable<Step>): Task[] | undefined {
    const { probeWindow, tags, skipTags } = this.o.rc.options;
    if (probeWindow <= 1 || this.pendingStart !== undefined) return undefined;
    const acts = (t: Task) => actsEveryTime(t, modulesByName.get(t.module), this.o.rc.options.check);
    if (acts(task)) return [];
    return tasksAhead(following, probeWindow, (t) => tagsSelect(t.tags, tags, skipTags) && canJoinWindow(t, modulesByName.get(t.module)), acts);
  }

  private async runTask(task: Task, hosts: HostState[], following: Iterable<Step>): Promise<void> {
    if (!this.selected(task)) return;
    const { rc, executor } = this.o;
    const ahead = this.tasksAhead(task, following);
    this.emitStart(task, hosts);
    const results: [HostState, TaskResult][] = [];
    if (task.runOnce && !this.o.freeHost) {
      const [first, ...others] = hosts;
      if (first) {
        const result = await executor.run(task, first, false);
        results.push([first, result]);
        for (const host of others) {
          shareRunOnceResult(host, first, task, result);
          results.push([host, result]);
        }
      }
    } else {
      await forEachLimited(hosts, rc.options.forks, async (host) => {
        results.push([host, await executor.run(task, host, false, ahead)]);
      });
    }
    this.emitEnd(task);
    for (const [host, result] of results) {
      if (result.status === 'failed' && host.failed) this.failures.set(host, { task, result: result.data });
    }
    await this.control(results);
  }

  /** What the task's module asked of the run (meta), acted on once every host has run it. */
  private async control(results: readonly [HostState, TaskResult][]): Promise<void> {
    const flush = results.filter(([, r]) => r.control === 'flush_handlers').map(([h]) => h);
    if (flush.length > 0) await this.o.flushHandlers(flush);
    for (const [host, r] of results) {
      if (r.control === 'end_host') host.ended = true;
      if (r.control === 'end_batch' || r.control === 'end_play') {
        for (const h of this.o.batch) if (!h.unreachable) h.ended = true;
      }
      if (r.control === 'end_play') this.o.endPlay();
    }
  }

  /** `after`: what runs after the block; its own steps are followed by it when nothing can come between (rescue, always). */
  private async runBlock(block: BlockStep, hosts: HostState[], after: readonly Step[]): Promise<void> {
    await this.runSteps(block.block, hosts, block.rescue.length === 0 && block.always.length === 0 ? after : []);
    const failed = hosts.filter((h) => h.failed && !h.unreachable);
    if (block.rescue.length > 0 && failed.length > 0) {
      for (const host of failed) {
        // As Ansible counts it: the failure is rescued, not failed (whatever the rescue then does).
        host.failed = false;
        if (host.counts.failed > 0) host.counts.failed--;
        host.counts.rescued++;
        const failure = this.failures.get(host);
        if (failure) {
          host.setVars({
            ansible_failed_task: { name: failure.task.name, action: failure.task.module, args: failure.task.args },
            ansible_failed_result: failure.result,
          });
        }
      }
      await this.runSteps(block.rescue, failed);
    }
    if (block.always.length > 0) {
      const always = hosts.filter((h) => !h.unreachable && !h.ended);
      const stillFailed = always.filter((h) => h.failed);
      for (const host of stillFailed) host.failed = false;
      try {
        await this.runSteps(block.always, always);
      } finally {
        for (const host of stillFailed) host.failed = true;
      }
    }
  }

  private async runInclude(include: IncludeStep, hosts: HostState[]): Promise<void> {
    const { task } = include;
    if (!this.selected(task)) return;
    const { rc, play, playHosts } = this.o;
    this.emitStart(task, hosts);
    const inclusions: Inclusion[] = [];
    for (const host of hosts) {
      const started = Date.now();
      const files: string[] = [];
      try {
        const vars = taskVariables(rc, play, task, host, playHosts);
        const items: { item?: unknown; index: number }[] = task.loop === undefined ? [{ index: 0 }] : renderLoopItems(task.loop, vars, task.location).map((item, index) => ({ item, index }));
        for (const { item, index } of items) {
          const loopVars = task.loop === undefined ? {} : { [task.loopVar]: item, ...(task.loopIndexVar ? { [task.loopIndexVar]: index } : {}) };
          const itemVars = { ...vars, ...loopVars };
          if (!conditionHolds(task.when, itemVars, task.location)) continue;
          const fileName = String(renderArgs((task.args as { file: string }).file, itemVars, task.location));
          const steps = include.preloaded?.fileName === fileName ? include.preloaded.steps : include.load(fileName);
          files.push(fileName);
          const key = `${fileName}\0${JSON.stringify(loopVars)}`;
          const found = inclusions.find((i) => i.key === key);
          if (found) found.hosts.push(host);
          else inclusions.push({ key, steps: withVars(steps, loopVars), hosts: [host] });
        }
        const outcome = files.length > 0 ? { status: 'ok' as const, data: { changed: false, include: files, msg: `${INCLUDED_PREFIX}${files.join(', ')}` }, commands: [] } : skippedOutcome('conditional result was false');
        recordIncludeResult(rc, host, { task, handler: false }, outcome, { started, roundTrips: 0 });
      } catch (err) {
        recordIncludeResult(rc, host, { task, handler: false }, errorOutcome(err, host.name), { started, roundTrips: 0 });
      }
    }
    this.emitEnd(task);
    // As Ansible's linear strategy does: each included file runs on the hosts that included it, in order.
    for (const inclusion of inclusions) await this.runSteps(inclusion.steps, inclusion.hosts);
  }
}

/** The steps after `index` of `steps`, then `after`: what the tasks ahead are taken from (probe-window.ts). */
function* followingSteps(steps: readonly Step[], index: number, after: readonly Step[]): Generator<Step> {
  for (let i = index + 1; i < steps.length; i++) yield steps[i] as Step;
  yield* after;
}

/** The included steps with the include's loop variables given to every task below them. */
function withVars(steps: readonly Step[], vars: Record<string, unknown>): Step[] {
  if (Object.keys(vars).length === 0) return [...steps];
  return steps.map((step): Step => {
    switch (step.kind) {
      case 'task':
        return { kind: 'task', task: { ...step.task, vars: { ...step.task.vars, ...vars } } };
      case 'block':
        return { ...step, block: withVars(step.block, vars), rescue: withVars(step.rescue, vars), always: withVars(step.always, vars) };
      case 'include':
        return {
          ...step,
          task: { ...step.task, vars: { ...step.task.vars, ...vars } },
          load: (fileName) => withVars(step.load(fileName), vars),
          ...(step.preloaded ? { preloaded: { fileName: step.preloaded.fileName, steps: withVars(step.preloaded.steps, vars) } } : {}),
        };
    }
  });
}
