// Runs every case through ansible-playbook at once: each case is an inventory host with local
// connection whose tasks are included by host name, under the free strategy, so one process per
// phase serves all cases and a failing case only stops its own host. Status comes from a small stdout
// callback of its own (callback/differential.py); no user or system ansible.cfg is read.

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { handlersFor, tasksFor, type DiffCase, type Statuses } from './types.js';

const run = promisify(execFile);

export interface AnsiblePhase {
  /** Case name → tree the case's tasks work on. */
  trees: Map<string, string>;
  check: boolean;
}

interface ResultLine {
  host: string;
  action: string;
  status: string;
}

const CALLBACK_DIR = join(dirname(fileURLToPath(import.meta.url)), 'callback');

export function hostName(index: number): string {
  return `case${String(index).padStart(3, '0')}`;
}

export async function runAnsiblePhase(cases: DiffCase[], phase: AnsiblePhase, workDir: string): Promise<Map<string, Statuses>> {
  mkdirSync(workDir, { recursive: true });
  const hosts: Record<string, Record<string, string>> = {};
  // Handlers live in the play, not in the included files: every case's handlers, with its own tree.
  const handlers: unknown[] = [];
  cases.forEach((c, i) => {
    const tree = phase.trees.get(c.name);
    if (!tree) return;
    const host = hostName(i);
    hosts[host] = { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3' };
    writeFileSync(join(workDir, `${host}.yml`), tasksFor(c, 'ansible').split('@T@').join(tree));
    const own = handlersFor(c, 'ansible');
    if (own !== undefined) handlers.push(...(parse(own.split('@T@').join(tree)) as unknown[]));
  });
  writeFileSync(join(workDir, 'inventory.yml'), stringify({ all: { hosts } }));
  writeFileSync(
    join(workDir, 'play.yml'),
    stringify([
      {
        hosts: 'all',
        gather_facts: false,
        strategy: 'free',
        tasks: [{ name: '__case__', include_tasks: '{{ inventory_hostname }}.yml' }],
        ...(handlers.length > 0 ? { handlers } : {}),
      },
    ]),
  );
  writeFileSync(join(workDir, 'ansible.cfg'), '');
  const args = ['-i', join(workDir, 'inventory.yml'), join(workDir, 'play.yml'), ...(phase.check ? ['--check'] : [])];
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    ANSIBLE_CONFIG: join(workDir, 'ansible.cfg'),
    ANSIBLE_STDOUT_CALLBACK: 'differential',
    ANSIBLE_CALLBACK_PLUGINS: CALLBACK_DIR,
    ANSIBLE_NOCOLOR: '1',
    // Few forks: every fork is a python process, and the machine's CPUs are shared.
    ANSIBLE_FORKS: '6',
    ANSIBLE_LOCAL_TEMP: join(workDir, 'local-tmp'),
    ANSIBLE_REMOTE_TEMP: join(workDir, 'remote-tmp'),
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    ANSIBLE_DEPRECATION_WARNINGS: 'false',
    ANSIBLE_LOCALHOST_WARNING: 'false',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
    ANSIBLE_ROLES_PATH: join(workDir, 'roles'),
    ANSIBLE_COLLECTIONS_PATH: join(workDir, 'collections'),
  };
  let stdout: string;
  try {
    ({ stdout } = await run('ansible-playbook', args, { env, cwd: workDir, maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    // Exit code 2 = some host failed, which cases may expect; the results are still on stdout.
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (e.code !== 2 || !e.stdout) throw new Error(`ansible-playbook failed (${e.code}): ${e.stderr ?? ''}`);
    stdout = e.stdout;
  }
  const byHost = new Map<string, Statuses>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as ResultLine;
    if (r.action === 'include_tasks') continue;
    byHost.set(r.host, [...(byHost.get(r.host) ?? []), r.status]);
  }
  const result = new Map<string, Statuses>();
  cases.forEach((c, i) => {
    if (phase.trees.has(c.name)) result.set(c.name, byHost.get(hostName(i)) ?? []);
  });
  return result;
}
