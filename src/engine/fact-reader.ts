// FactReader over a transport: probes memoised for one task, several probes in one round trip.

import type { FactReader, Probe } from '../facts/types.js';
import type { ExecOptions, Transport } from '../transport/types.js';

export class TransportFactReader implements FactReader {
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly transport: () => Promise<Transport>,
    /** become, and the tally that counts the task's round trips. */
    private readonly options: Pick<ExecOptions, 'become' | 'tally'>,
  ) {}

  async get<T>(probe: Probe<T>): Promise<T> {
    const [value] = await this.getAll([probe] as const);
    return value as T;
  }

  async getAll<T extends readonly Probe<unknown>[]>(
    probes: T,
  ): Promise<{ [K in keyof T]: T[K] extends Probe<infer R> ? R : never }> {
    const missing = probes.filter((p, i) => !this.memo.has(p.key) && probes.findIndex((q) => q.key === p.key) === i);
    if (missing.length > 0) {
      const transport = await this.transport();
      const results = await transport.execBatch(
        missing.map((p) => p.command),
        { ...this.options, probe: true },
      );
      missing.forEach((probe, i) => this.memo.set(probe.key, probe.parse(results[i] ?? { code: -1, stdout: '', stderr: 'no result' })));
    }
    return probes.map((p) => this.memo.get(p.key)) as { [K in keyof T]: T[K] extends Probe<infer R> ? R : never };
  }
}
