// The history file's format: one JSON object a line. A header, then the run's events exactly as
// `--json` writes them (already masked) with `at_ms` added (when it was received, from the run's
// start: the HTML timeline needs it, the events only carry durations), then an end record. A file
// without its end record is a run that was killed (or is still running).

import type { RunEvent } from '../engine/events.js';

export const HISTORY_FORMAT = 1;

export interface RunHeader {
  type: 'history_start';
  format: typeof HISTORY_FORMAT;
  /** The file's name without `.jsonl`: sortable by time, unique per process. */
  id: string;
  /** `provision`'s arguments (secrets masked), e.g. ["run", "site.yaml", "-i", "inventory/lab.yaml"]. */
  command: string[];
  cwd: string;
  /** Absolute path of the playbook (or the role's tasks file, or `<command line>` for exec). */
  playbook: string;
  inventory?: string;
  limit?: string;
  check: boolean;
  user: string;
  started_at: string;
  /** HEAD of the git repository that holds the playbook, when there is one. */
  git_commit?: string;
}

export type RecordedEvent = RunEvent & { at_ms: number };

export interface RunFooter {
  type: 'history_end';
  ended_at: string;
  duration_ms: number;
  exit_code: number;
}

export interface RunRecord {
  /** Where it was read from (undefined for a run still in memory). */
  file?: string;
  header: RunHeader;
  events: RecordedEvent[];
  footer: RunFooter;
}

/** Runs of the same thing are compared: the same playbook, or for `exec` the same command. */
export function subjectOf(header: RunHeader): string {
  return header.command[0] === 'exec' ? `exec ${header.command[1] ?? ''}` : header.playbook;
}
