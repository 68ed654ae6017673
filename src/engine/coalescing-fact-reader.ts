// Probes of several plans computed together (plan-prefetch.ts) in as few round trips as possible:
// every probe asked in the same turn of the event loop goes in one execBatch, and each result is
// kept for the whole window, so a probe several tasks ask is run once. Sharing a result between
// tasks is exact because the window is dropped as soon as anything happens on the host.

import type { FactReader, Probe } from '../facts/types.js';
import type { Become, ExecOptions, ExecResult, Transport } from '../transport/types.js';

type Probed<T extends readonly Probe<unknown>[]> = { [K in keyof T]: T[K] extends Probe<infer R> ? R : never };

interface Request {
  probe: Probe<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class CoalescingProber {
  /** Per become and probe key: the probe's parsed result (or its failure), shared by every task. */
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Probes asked since the last batch was sent, grouped by become (one execBatch per group). */
  private readonly waiting = new Map<string, { become: Become | false; requests: Request[] }>();
  private flushScheduled = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly transport: () => Promise<Transport>,
    /** Counts every round trip of the window (on the task that opened it). */
    private readonly tally: NonNullable<ExecOptions['tally']>,
  ) {}

  /** The reader one task's plan uses: its probes run with its become. */
  reader(become: Become | false): FactReader {
    const get = <T>(probe: Probe<T>): Promise<T> => this.request(become, probe) as Promise<T>;
    return {
      get,
      getAll: <T extends readonly Probe<unknown>[]>(probes: T) => Promise.all(probes.map((p) => get(p))) as Promise<Probed<T>>,
    };
  }

  private request(become: Become | false, probe: Probe<unknown>): Promise<unknown> {
    const group = JSON.stringify(become);
    const key = `${group}\0${probe.key}`;
    let result = this.memo.get(key);
    if (!result) {
      result = new Promise((resolve, reject) => {
        const waiting = this.waiting.get(group) ?? { become, requests: [] };
        waiting.requests.push({ probe, resolve, reject });
        this.waiting.set(group, waiting);
      });
      this.memo.set(key, result);
      this.scheduleFlush();
    }
    return result;
  }

  /**
   * After the current turn (setImmediate: every plan waiting on a resolved promise has asked its next
   * probe by then), and not while a batch is on the wire: what is asked meanwhile goes in the next one.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const start = () =>
      setImmediate(() => {
        this.flushScheduled = false;
        this.inFlight = this.flush().finally(() => {
          this.inFlight = undefined;
        });
      });
    if (this.inFlight) void this.inFlight.then(start);
    else start();
  }

  private async flush(): Promise<void> {
    const groups = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(groups.map(({ become, requests }) => this.send(become, requests)));
  }

  private async send(become: Become | false, requests: readonly Request[]): Promise<void> {
    let results: ExecResult[];
    try {
      const transport = await this.transport();
      results = await transport.execBatch(
        requests.map((r) => r.probe.command),
        { become, tally: this.tally },
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
