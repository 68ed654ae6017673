#!/usr/bin/env node
// Whole-run figures against the lab (prints, asserts nothing; needs `provision lab up` and a build):
//  1. round trips and time per module: the integration fixture run with --check, converge, no-op;
//  2. 20 no-op tasks + fact gathering: provision vs ansible-playbook (when Debian's ansible is installed).
// Traffic goes only to the lab guests on 192.168.56.0/24.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inventory = 'inventory/vagrant.yaml';
const lockTimeout = ['--lock-timeout', '300']; // other runs may hold a host's run lock
const provision = (args) => {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['bin/provision.js', ...args, ...lockTimeout], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const events = res.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  return { code: res.status, ms, events, stderr: res.stderr };
};

const suffix = randomBytes(3).toString('hex');
const target = 'web02';
const vars = ['-e', `target=${target} scratch=/tmp/provision-bench-${suffix} suffix=${suffix} swappiness=17`];
const fixture = 'test/fixtures/integration/modules.yaml';

const runs = {
  check: provision(['run', fixture, '-i', inventory, ...vars, '--json', '--check', '--no-retry-file']),
  converge: provision(['run', fixture, '-i', inventory, ...vars, '--json', '--no-retry-file']),
  noop: provision(['run', fixture, '-i', inventory, ...vars, '--json', '--no-retry-file']),
};
provision(['run', 'test/fixtures/integration/cleanup.yaml', '-i', inventory, ...vars, '--json', '--no-retry-file']);

const rows = new Map();
for (const [phase, run] of Object.entries(runs)) {
  if (run.code !== 0) console.error(`${phase} exited ${run.code}: ${run.stderr.slice(0, 500)}`);
  for (const e of run.events) {
    if (e.type !== 'result' || e.item !== undefined) continue;
    const row = rows.get(e.task) ?? {};
    row[phase] = `${e.status.padEnd(7)} ${String(e.round_trips).padStart(2)} rt ${String(e.duration_ms).padStart(5)} ms`;
    rows.set(e.task, row);
  }
}
console.log(`\nPer task on ${target} (status, SSH round trips, duration)`);
console.log(`${'task'.padEnd(44)} ${'--check'.padEnd(24)} ${'converge'.padEnd(24)} no-op`);
for (const [task, row] of rows) {
  console.log(`${task.slice(0, 43).padEnd(44)} ${(row.check ?? '').padEnd(24)} ${(row.converge ?? '').padEnd(24)} ${row.noop ?? ''}`);
}
for (const [phase, run] of Object.entries(runs)) console.log(`${phase}: whole run ${run.ms.toFixed(0)} ms`);

console.log('\n20 no-op tasks + fact gathering on web01');
const times = [];
for (let i = 0; i < 3; i++) times.push(provision(['run', 'test/fixtures/bench/noop20.yaml', '-i', inventory, '--json', '--no-retry-file']).ms);
console.log(`provision:        ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
if (existsSync('/usr/bin/ansible-playbook')) {
  const known = '/var/lib/provision/lab/known_hosts';
  const env = { ...process.env, ANSIBLE_PIPELINING: 'True', ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${known} -o ControlMaster=auto -o ControlPersist=60s`, ANSIBLE_RETRY_FILES_ENABLED: 'False' };
  const at = [];
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    const res = spawnSync('ansible-playbook', ['-i', inventory, 'test/fixtures/bench/noop20.yaml'], { cwd: root, env, encoding: 'utf8' });
    at.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (res.status !== 0) console.error(res.stdout.slice(-800));
  }
  console.log(`ansible-playbook: ${at.map((t) => t.toFixed(0)).join(', ')} ms (pipelining, ControlPersist)`);
} else {
  console.log('ansible-playbook: not installed (apt-get install ansible-core to compare)');
}
