// What every reporter looks like to the CLI: it listens to engine events and writes somewhere.

import type { RunEvent } from '../engine/events.js';

export type ReportMode = 'tty' | 'plain' | 'json';

export interface ReporterOptions {
  mode: ReportMode;
  /** -v count: 1 shows commands and output of results, 2 also timings and round trips. */
  verbose: number;
  /** Print before/after diffs of results that carry them (--diff). */
  diff: boolean;
  /** ANSI colours in human output (never in JSON). */
  color: boolean;
  out: NodeJS.WritableStream;
  /** Events arrive with secrets already masked (RunContext.emit, core/mask.ts): reporters print them as they are. */
  err: NodeJS.WritableStream;
}

export interface Reporter {
  handle(event: RunEvent): void;
  /** Flush and wait until everything is written (the TTY tree has finished rendering). */
  finish(): Promise<void>;
}
