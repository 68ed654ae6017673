// Records one run: keeps its events in memory (for --report) and, unless history is off, streams
// them to `<dir>/<id>.jsonl` as they happen, so a run killed mid-way still leaves what it did.
// Writes are synchronous appends of one line (microseconds each); a history that cannot be written
// is a warning, never a failed run.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunEvent } from '../engine/events.js';
import { maskDeep } from '../core/mask.js';
import { gitCommitOf } from './git-commit.js';
import { pruneHistory } from './prune.js';
import { HISTORY_FORMAT, type RecordedEvent, type RunFooter, type RunHeader, type RunRecord } from './record.js';
import { makeRunId, RUN_FILE_SUFFIX } from './run-id.js';
import { isoUtc } from './utc-time.js';

export interface RecorderOptions {
  playbook: string;
  playbookDir: string;
  /** provision's arguments as typed (masked here). */
  command: string[];
  inventory?: string;
  limit?: string;
  check: boolean;
  /** The run's secret masking, for the header (the command line); events come masked already. */
  mask: (text: string) => string;
  /** History folder; undefined keeps the record in memory only (--no-history). */
  dir?: string;
  keep: number;
  warn: (message: string) => void;
}

export class RunRecorder {
  readonly header: RunHeader;
  readonly events: RecordedEvent[] = [];
  file?: string;
  private fd?: number;
  private readonly startedAt = performance.now();

  constructor(private readonly options: RecorderOptions) {
    const started = new Date();
    let id = makeRunId(started, options.playbook);
    if (options.dir) {
      try {
        mkdirSync(options.dir, { recursive: true });
        ({ id, fd: this.fd } = openNewRunFile(options.dir, id));
        this.file = join(options.dir, `${id}${RUN_FILE_SUFFIX}`);
      } catch (err) {
        this.fail(err);
      }
    }
    const header: RunHeader = {
      type: 'history_start',
      format: HISTORY_FORMAT,
      id,
      command: options.command,
      cwd: process.cwd(),
      playbook: options.playbook,
      ...(options.inventory ? { inventory: options.inventory } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      check: options.check,
      user: currentUser(),
      started_at: isoUtc(started),
    };
    const commit = gitCommitOf(options.playbookDir);
    if (commit) header.git_commit = commit;
    this.header = maskDeep(header, options.mask);
    this.write(this.header);
  }

  /** A bus listener: the events arrive masked by the run (RunContext.emit), as --json writes them. */
  record = (event: RunEvent): void => {
    const recorded = { ...event, at_ms: this.elapsed() } as RecordedEvent;
    this.events.push(recorded);
    this.write(recorded);
  };

  /** Writes the end record, closes the file and prunes old runs. */
  finish(exitCode: number): RunRecord {
    const footer: RunFooter = { type: 'history_end', ended_at: isoUtc(new Date()), duration_ms: this.elapsed(), exit_code: exitCode };
    this.write(footer);
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
        this.fd = undefined;
        pruneHistory(this.options.dir as string, this.options.keep);
      } catch (err) {
        this.fail(err);
      }
    }
    return { ...(this.file ? { file: this.file } : {}), header: this.header, events: this.events, footer };
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  private write(value: object): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, `${JSON.stringify(value)}\n`);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already failing: the warning below says so.
      }
    }
    this.fd = undefined;
    this.options.warn(`history (${this.file ?? this.options.dir}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens `<id>.jsonl` for writing, never over an existing run: a second run of the same process
 * in the same millisecond (a library caller) gets `<id>-2`. */
function openNewRunFile(dir: string, base: string): { id: string; fd: number } {
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    try {
      return { id, fd: openSync(join(dir, `${id}${RUN_FILE_SUFFIX}`), 'wx') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw err;
    }
  }
}

/** $USER (free) before asking the system (a passwd lookup). */
function currentUser(): string {
  const fromEnv = process.env.USER || process.env.LOGNAME;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
