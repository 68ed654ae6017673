// Where the history lives and how many runs it keeps: --history-dir, else PROVISION_HISTORY_DIR,
// else `.provision/runs` beside the playbook; PROVISION_HISTORY_KEEP runs (default 50).

import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

export const DEFAULT_KEEP = 50;
export const HISTORY_SUBDIR = join('.provision', 'runs');

export function historyDirFor(playbookDir: string, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PROVISION_HISTORY_DIR) return resolve(env.PROVISION_HISTORY_DIR);
  return join(playbookDir, HISTORY_SUBDIR);
}

export function historyKeep(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PROVISION_HISTORY_KEEP;
  if (raw === undefined || raw === '') return DEFAULT_KEEP;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`PROVISION_HISTORY_KEEP: expected a positive integer, got '${raw}'`);
  return n;
}
