// Facts are typed read-only probes: a shell snippet plus a parser of its output.
// Several probes are sent in one round trip (Transport.execBatch).

import type { ExecResult } from '../transport/types.js';

export interface Probe<T> {
  /** Identity for memoisation within one task, e.g. `file:/etc/hosts`. */
  key: string;
  /** Shell snippet to run on the host (read-only). Quote values with quote() from core/shell. */
  command: string;
  parse(result: ExecResult): T;
  /**
   * The probe's family, when several probes of it sent together can run as one command (one run of
   * each tool for all of them: every process costs the host CPU). Absent: the probe always runs alone.
   */
  merge?: ProbeMerge<unknown>;
}

/** A probe's membership of a family, with what the family needs of it (e.g. its path and options). */
export interface ProbeMerge<I> {
  family: ProbeFamily<I>;
  input: I;
}

/**
 * Builds one command for several probes of the family and splits its output back into what each
 * probe's own command would have given, so that every probe's own parser (and its errors) applies
 * unchanged. Probes are grouped by this object: only members of one family are passed to it.
 */
export interface ProbeFamily<I> {
  /** For messages and tests. */
  readonly name: string;
  /** One command for these members' inputs (two or more, in order). */
  command(inputs: readonly I[]): string;
  /**
   * Each member's result, in order, as its own command would have given it; undefined when the
   * output cannot be split without doubt (a tool failed, an unexpected line): the members then run
   * one by one, so each gets exactly its own result or error.
   */
  split(result: ExecResult, inputs: readonly I[]): ExecResult[] | undefined;
}

export interface FactReader {
  get<T>(probe: Probe<T>): Promise<T>;
  /** Resolve several probes in one round trip. */
  getAll<T extends readonly Probe<unknown>[]>(
    probes: T,
  ): Promise<{ [K in keyof T]: T[K] extends Probe<infer R> ? R : never }>;
}
