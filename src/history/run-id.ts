// A run's id is its file name: the start time (UTC, sortable as text), the playbook's base name, and
// the process id so that two runs started in the same millisecond do not collide.

import { basename, extname } from 'node:path';
import { isoUtc } from './utc-time.js';

export const RUN_FILE_SUFFIX = '.jsonl';

export function makeRunId(started: Date, playbook: string, pid: number = process.pid): string {
  const stamp = isoUtc(started).replace(/:/g, '-').replace('.', '-');
  const name = basename(playbook, extname(playbook)).replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'run';
  return `${stamp}-${name}-${pid}`;
}

export function isRunFile(name: string): boolean {
  return name.endsWith(RUN_FILE_SUFFIX) && !name.startsWith('.');
}
