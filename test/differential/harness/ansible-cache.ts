// ansible-playbook costs about a second of CPU per task, so what ansible-core did with a case is kept
// under os.tmpdir(), keyed by the case's ansible side (setup, tasks, handlers) and the ansible-core version:
// a changed case, a new case or another ansible-core is run again. Nothing is committed; a fresh
// machine (CI) runs everything. PROVISION_DIFFERENTIAL_FRESH=1 ignores the cache.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlersFor, tasksFor, type DiffCase, type Observation } from './types.js';

const CACHE_DIR = join(tmpdir(), 'provision-differential-cache');

let version: string | undefined;
function ansibleVersion(): string {
  version ??= execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  return version;
}

function keyOf(c: DiffCase): string {
  const handlers = handlersFor(c, 'ansible');
  const source = JSON.stringify({
    setup: c.setup ?? '',
    tasks: tasksFor(c, 'ansible'),
    ...(handlers !== undefined ? { handlers } : {}),
    version: ansibleVersion(),
  });
  return createHash('sha256').update(source).digest('hex');
}

export function cached(c: DiffCase): Observation | undefined {
  if (process.env.PROVISION_DIFFERENTIAL_FRESH === '1') return undefined;
  const path = join(CACHE_DIR, `${keyOf(c)}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Observation) : undefined;
}

export function remember(c: DiffCase, observation: Observation): void {
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(join(CACHE_DIR, `${keyOf(c)}.json`), JSON.stringify(observation));
}
