// Facts are typed read-only probes: a shell snippet plus a parser of its output.
// Several probes are sent in one round trip (Transport.execBatch).

import type { ExecResult } from '../transport/types.js';

export interface Probe<T> {
  /** Identity for memoisation within one task, e.g. `file:/etc/hosts`. */
  key: string;
  /** Shell snippet to run on the host (read-only). Quote values with quote() from core/shell. */
  command: string;
  parse(result: ExecResult): T;
}

export interface FactReader {
  get<T>(probe: Probe<T>): Promise<T>;
  /** Resolve several probes in one round trip. */
  getAll<T extends readonly Probe<unknown>[]>(
    probes: T,
  ): Promise<{ [K in keyof T]: T[K] extends Probe<infer R> ? R : never }>;
}
