// Probes of several plans computed together (plan-prefetch.ts) in as few round trips as possible:
// a batch is sent once every plan of the window waits on a probe or is done (a plan still reading a
// local file or rendering a template adds its probes to the same batch), or after MAX_WAIT_MS, and
// each result is kept for the whole window, so a probe several tasks ask is run once. Sharing a
// result between tasks is exact because the window is dropped as soon as anything happens on the host.
// The probes of one family in a batch run as one command (merged-probes.ts).

import type { FactReader, Probe } from '../facts/types.js';
import type { Become, ExecOptions, ExecResult, Transport } from '../transport/types.js';
import { execProbes } from './merged-probes.js';

/** The longest a probe waits for the window's other plans to ask theirs (a plan busy on this machine). */
export const MAX_WAIT_MS = 20;

type Probed<T extends readonly Probe<unknown>[]> = { [K in keyof T]: T[K] extends Probe<infer R> ? R : never };

/** A plan of the window: how many of its probes are not in yet, and whether it is done. */
interface Job {
  outstanding: number;
  done: boolean;
}

interface Request {
  probe: Probe<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Per become and probe key: a probe's parsed result (or its failure), shared by every plan that asks it. */
export type ProbeMemo = Map<string, { result: Promise<unknown>; settled: boolean; failed: boolean }>;

export class CoalescingProber {
  /** Probes asked since the last batch was sent, grouped by become (one execBatch per group). */
  private readonly waiting = new Map<string, { become: Become | false; requests: Request[] }>();
  private checkScheduled = false;
  private inFlight: Promise<void> | undefined;
  /** Plans of the window computing on this machine (not waiting on a probe, not done). */
  private running = 0;
  /** Set when the oldest waiting probe has waited MAX_WAIT_MS: the batch goes without the busy plans. */
  private overdue = false;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `memo`: results already read in the same state of the host (plan-prefetch.ts keeps it while nothing
   * happens there), so a later window or a task planned alone asks again only what is not in it. A
   * failure is shared within one prober only: the next one asks again.
   */
  constructor(
    private readonly transport: () => Promise<Transport>,
    /** Counts every round trip of the window (on the task that opened it). */
    private readonly tally: NonNullable<ExecOptions['tally']>,
    private readonly memo: ProbeMemo = new Map(),
  ) {
    for (const [key, entry] of memo) if (entry.failed) memo.delete(key);
  }

  /** The reader of a plan not tracked by `run` (its probes go at the next turn of the event loop). */
  reader(become: Become | false): FactReader {
    return this.readerFor(become, undefined);
  }

  /**
   * Runs one plan of the window with its reader, tracking whether it computes or waits on probes,
   * so that a batch waits for the plans still computing.
   */
  run<T>(become: Become | false, plan: (facts: FactReader) => Promise<T>): Promise<T> {
    const job: Job = { outstanding: 0, done: false };
    this.running++;
    const finished = () => {
      job.done = true;
      if (job.outstanding === 0) this.running--;
      this.scheduleCheck();
    };
    const result = new Promise<T>((resolve) => resolve(plan(this.readerFor(become, job))));
    result.then(finished, finished);
    return result;
  }

  private readerFor(become: Become | false, job: Job | undefined): FactReader {
    const get = <T>(probe: Probe<T>): Promise<T> => this.request(become, probe, job) as Promise<T>;
    return {
      get,
      getAll: <T extends readonly Probe<unknown>[]>(probes: T) => Promise.all(probes.map((p) => get(p))) as Promise<Probed<T>>,
    };
  }

  private request(become: Become | false, probe: Probe<unknown>, job: Job | undefined): Promise<unknown> {
    const group = JSON.stringify(become);
    const key = `${group}\0${probe.key}`;
    let entry = this.memo.get(key);
    if (!entry) {
      const result = new Promise((resolve, reject) => {
        const waiting = this.waiting.get(group) ?? { become, requests: [] };
        waiting.requests.push({ probe, resolve, reject });
        this.waiting.set(group, waiting);
      });
      const created = { result, settled: false, failed: false };
      result.then(
        () => {
          created.settled = true;
        },
        () => {
          created.settled = true;
          created.failed = true;
        },
      );
      entry = created;
      this.memo.set(key, entry);
      this.startTimer();
    }
    if (job && !job.done && !entry.settled) this.awaitProbe(job, entry.result);
    this.scheduleCheck();
    return entry.result;
  }

  /** The job waits on this probe: it stops counting as running until its probes are in. */
  private awaitProbe(job: Job, result: Promise<unknown>): void {
    if (job.outstanding++ === 0) this.running--;
    const back = () => {
      if (--job.outstanding === 0 && !job.done) this.running++;
    };
    result.then(back, back);
  }

  /** Counts from the moment nothing is on the wire: a slow round trip does not make the next batch overdue. */
  private startTimer(): void {
    if (this.timer || this.inFlight) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.overdue = true;
      this.scheduleCheck();
    }, MAX_WAIT_MS);
  }

  /** At the next turn (every plan whose probe came back has asked its next one by then): send if ready. */
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.inFlight || this.waiting.size === 0) return;
      if (this.running > 0 && !this.overdue) return;
      this.flush();
    });
  }

  /** One batch per become of what is waiting; what is asked meanwhile goes in the next one. */
  private flush(): void {
    const groups = [...this.waiting.values()];
    this.waiting.clear();
    this.overdue = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = Promise.all(groups.map(({ become, requests }) => this.send(become, requests))).then(() => {
      this.inFlight = undefined;
      if (this.waiting.size > 0) this.startTimer();
      this.scheduleCheck();
    });
  }

  private async send(become: Become | false, requests: readonly Request[]): Promise<void> {
    let results: ExecResult[];
    try {
      const transport = await this.transport();
      results = await execProbes(
        transport,
        requests.map((r) => r.probe),
        { become, tally: this.tally, probe: true },
      );
    } catch (error) {
      for (const r of requests) r.reject(error);
      return;
    }
    requests.forEach((r, i) => {
      // A parser's error fails the tasks that asked for this probe only.
      try {
        r.resolve(r.probe.parse(results[i] ?? { code: -1, stdout: '', stderr: 'no result' }));
      } catch (error) {
        r.reject(error);
      }
    });
  }
}
