// Which history folders `provision history` and `provision report` read, and which run a RUN
// argument names. Without --history-dir (or PROVISION_HISTORY_DIR): the folder beside a playbook
// given as PATH, or those of PATH (default: the current directory) and its direct subdirectories,
// so that `provision history` at a project's root also finds playbooks/.provision/runs.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RunRecord } from './record.js';
import { HISTORY_SUBDIR } from './settings.js';

export function historyDirsToRead(path: string | undefined, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (flag) return [resolve(flag)];
  if (env.PROVISION_HISTORY_DIR) return [resolve(env.PROVISION_HISTORY_DIR)];
  const base = resolve(path ?? '.');
  if (existsSync(base) && statSync(base).isFile()) return [join(dirname(base), HISTORY_SUBDIR)];
  const dirs = [join(base, HISTORY_SUBDIR)];
  if (existsSync(base)) {
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const candidate = join(base, entry.name, HISTORY_SUBDIR);
      if (existsSync(candidate)) dirs.push(candidate);
    }
  }
  return dirs;
}

/** The run a RUN argument names: its id or a unique beginning of it (runs oldest first); default: the last. */
export function selectRun(runs: readonly RunRecord[], selector: string | undefined, where: readonly string[]): RunRecord {
  if (runs.length === 0) throw new UsageError(`no recorded runs in ${where.join(', ')}`);
  if (selector === undefined) return runs.at(-1) as RunRecord;
  const exact = runs.find((r) => r.header.id === selector);
  if (exact) return exact;
  const matches = runs.filter((r) => r.header.id.startsWith(selector));
  if (matches.length === 1) return matches[0] as RunRecord;
  if (matches.length === 0) throw new UsageError(`no recorded run '${selector}' in ${where.join(', ')} (see provision history)`);
  throw new UsageError(`'${selector}' names ${matches.length} runs: ${matches.map((r) => r.header.id).join(', ')}`);
}

/** The latest run of the same subject that started before `run` (the one a report compares with). */
export function previousRunOf(run: RunRecord, runs: readonly RunRecord[], subject: (r: RunRecord) => string): RunRecord | undefined {
  const key = subject(run);
  const earlier = runs.filter((r) => r.header.id !== run.header.id && subject(r) === key && r.header.started_at <= run.header.started_at);
  return earlier.at(-1);
}
