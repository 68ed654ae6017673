// Planning ahead (issue 11, batch probing). When a host is about to plan a task, the plans of the
// next few tasks (probe-window.ts) are computed at the same time, with their probes coalesced into
// shared round trips (coalescing-fact-reader.ts). A plan computed ahead is exactly the plan
// one-by-one planning would compute later, as long as nothing happened in between: it is used
// only when the host's epoch is as it was when it was computed (HostState.epoch: nothing ran on the
// host) and the task renders to the same arguments, become, check and diff. A plan that read the
// task's variables beyond its arguments (a template's text rendered, debug's var) also needs every
// host's variables as they were (RunContext.varsStamp); one that did not survives a register or a
// set_fact, which change no host. Otherwise it is dropped and the task is planned (and probed) again.

import type { FactReader } from '../facts/types.js';
import type { Plan } from '../modules/types.js';
import type { Become, RoundTripTally, Transport } from '../transport/types.js';
import { CoalescingProber, type ProbeMemo } from './coalescing-fact-reader.js';

/** What a plan computed ahead depends on besides the host: compared when the plan is used. */
export interface PlanInputs {
  args: unknown;
  become: Become | false;
  check: boolean;
  diff: boolean;
}

/**
 * One plan to compute in a window: what it is for (a task, or one item of a loop: any object that
 * names it for this run), its inputs, and the module's plan over a given fact reader.
 */
export interface PlanJob {
  key: object;
  inputs: PlanInputs;
  /** `readsVars` is called when the plan reads the task's variables beyond its arguments. */
  plan(facts: FactReader, readsVars: () => void): Promise<Plan>;
}

/** The state a plan was computed in: the host's epoch and the run's variables stamp. */
export interface Stamp {
  epoch: number;
  vars: number;
}

interface Ahead {
  key: string;
  /** undefined: planning ahead failed; the task is planned the ordinary way, which reports why. */
  plan: Promise<Plan | undefined>;
  /** The variables stamp it was computed under. */
  vars: number;
  /** Whether it read variables beyond its arguments, known once it settled. */
  readVars: boolean;
  settled: boolean;
}

/**
 * One host's plans computed ahead, all under one host epoch, and the probe results read under that
 * epoch: a window, or a task planned alone through `window` (a handler, the last task of a list), asks
 * only the probes not read yet since anything last happened on the host. That is the same bet as
 * planning ahead: what nothing changed reads the same.
 */
export class PlansAhead {
  private epoch: number | undefined;
  private readonly plans = new Map<object, Ahead>();
  private readonly probed: ProbeMemo = new Map();

  /** The plan computed ahead for this task, if it still holds now; it is used at most once. */
  take(key: object, inputs: PlanInputs, now: Stamp): Promise<Plan | undefined> | undefined {
    const ahead = this.holding(key, now);
    if (!ahead) return undefined;
    this.plans.delete(key);
    return ahead.key === inputsKey(inputs) ? ahead.plan : undefined;
  }

  /** Whether a plan computed ahead for this task (or item) still holds now. */
  has(key: object, now: Stamp): boolean {
    return this.holding(key, now) !== undefined;
  }

  /** The plan ahead for `key` if it holds now; one that no longer holds is dropped. */
  private holding(key: object, now: Stamp): Ahead | undefined {
    this.expire(now);
    const ahead = this.plans.get(key);
    if (!ahead) return undefined;
    // Not settled yet: whether it read variables is not known, so it holds only under the same ones.
    if (ahead.vars === now.vars || (ahead.settled && !ahead.readVars)) return ahead;
    this.plans.delete(key);
    return undefined;
  }

  /**
   * Computes `first`'s plan and, at the same time, the `ahead` jobs' plans (none: `first` alone, with
   * the probes read under this stamp), every probe through one coalescing prober whose round trips
   * count on `tally` (the first task's). Resolves with the first
   * plan (or its error) once every job has settled, so no round trip is counted after the first
   * task's result. `stamp` is taken before any probe is sent.
   */
  async window(first: PlanJob, ahead: readonly PlanJob[], stamp: Stamp, transport: () => Promise<Transport>, tally: RoundTripTally): Promise<Plan> {
    this.expire(stamp);
    const prober = new CoalescingProber(transport, tally, this.probed);
    const firstPlan = start(first, prober, () => undefined);
    const others = ahead.map((job) => {
      const entry: Ahead = { key: inputsKey(job.inputs), plan: Promise.resolve(undefined), vars: stamp.vars, readVars: false, settled: false };
      entry.plan = start(job, prober, () => (entry.readVars = true))
        .catch(() => undefined)
        .finally(() => (entry.settled = true));
      this.plans.set(job.key, entry);
      return entry.plan;
    });
    await Promise.allSettled([firstPlan, ...others]);
    return firstPlan;
  }

  /** Anything happened on the host since the plans were computed: they are dropped, and what was read. */
  private expire(now: Stamp): void {
    if (this.epoch === now.epoch) return;
    this.plans.clear();
    this.probed.clear();
    this.epoch = now.epoch;
  }
}

/** A job's plan, tracked by the prober (a module that throws before its first await included). */
function start(job: PlanJob, prober: CoalescingProber, readsVars: () => void): Promise<Plan> {
  return prober.run(job.inputs.become, (facts) => job.plan(facts, readsVars));
}

function inputsKey(inputs: PlanInputs): string {
  return JSON.stringify([inputs.args, inputs.become, inputs.check, inputs.diff]);
}
