// The commands through the real CLI: version, help, --list-hosts/--list-tasks, inventory views,
// exec, role; and the outcome of runs: exit 2 with a retry file that --limit @FILE reruns,
// exit 3 for an unreachable host (SSH to a closed port on 127.0.0.1), and --json lines.

import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStack, FIXTURES, INVENTORY, provision, ROOT, tempDir, type CliResult } from './cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(ensureBuilt, 120_000);
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const fx = (rel: string) => join(FIXTURES, rel);
const run = (args: string[], cwd?: string) => provision(args, { home: tmp.dir, ...(cwd ? { cwd } : {}) });

function ok(r: CliResult): CliResult {
  expectNoStack(r);
  expect(r.status, r.stderr).toBe(0);
  return r;
}

/** Parses --json output: every line must be a JSON object with a type. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.trimEnd().split('\n');
  return lines.map((line) => {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(typeof parsed.type).toBe('string');
    return parsed;
  });
}

/** A loopback port where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('version and help', () => {
  it('--version prints the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(ok(run(['--version'])).stdout).toBe(`${version}\n`);
    expect(ok(run(['-V'])).stdout).toBe(`${version}\n`);
  });

  it('--help lists the commands and exits 0', () => {
    const r = ok(run(['--help']));
    expect(r.stdout).toMatch(/^Usage: provision /);
    for (const cmd of ['run', 'role', 'validate', 'inventory', 'exec']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('run --help shows the run flags and exits 0', () => {
    const r = ok(run(['run', '--help']));
    expect(r.stdout).toMatch(/^Usage: provision run \[options\] <playbook>/);
    for (const flag of ['--limit', '--check', '--extra-vars', '--forks', '--list-hosts', '--list-tasks', '--retry-file', '--json']) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe('--list-hosts and --list-tasks', () => {
  const marker = () => join(tmp.dir, 'marker');

  it('list both, and touch nothing', () => {
    const r = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker()}`, '--list-hosts', '--list-tasks']));
    expect(r.stdout).toBe(
      [
        `playbook: ${fx('good.yaml')}`,
        '',
        '  play: good play (hosts: boxes)',
        '    hosts (2):',
        '      box1',
        '      box2',
        '    tasks:',
        '      create the marker',
        '      say hello\tTAGS: [hello]',
        '',
      ].join('\n'),
    );
    expect(existsSync(marker())).toBe(false);
  });

  it('--list-hosts follows --limit', () => {
    const r = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker()}`, '--list-hosts', '--limit', 'box2']));
    expect(r.stdout).toMatch(/ {4}hosts \(1\):\n {6}box2\n$/);
    expect(r.stdout).not.toMatch(/tasks:/);
  });
});

describe('provision inventory', () => {
  it('--list prints what ansible-inventory --list prints', () => {
    const r = ok(run(['inventory', '-i', INVENTORY, '--list']));
    expect(JSON.parse(r.stdout)).toEqual({
      _meta: { hostvars: { box1: { ansible_connection: 'local' }, box2: { ansible_connection: 'local' } } },
      all: { children: ['ungrouped', 'boxes'] },
      boxes: { hosts: ['box1', 'box2'] },
    });
  });

  it('--graph prints the tree', () => {
    const r = ok(run(['inventory', '-i', INVENTORY, '--graph']));
    expect(r.stdout).toBe('@all:\n  |--@ungrouped:\n  |--@boxes:\n  |  |--box1\n  |  |--box2\n');
  });

  it('--host prints one host, and an unknown host is an input error', () => {
    expect(JSON.parse(ok(run(['inventory', '-i', INVENTORY, '--host', 'box1'])).stdout)).toEqual({ ansible_connection: 'local' });
    const r = run(['inventory', '-i', INVENTORY, '--host', 'nope']);
    expectNoStack(r);
    expect(r.stderr).toMatch(/^error: unknown host 'nope': it is not in the inventory /);
    expect(r.status).toBe(4);
  });

  it('without --list/--graph/--host says what it needs', () => {
    const r = run(['inventory', '-i', INVENTORY]);
    expectNoStack(r);
    expect(r.stderr).toBe('error: provision inventory: give exactly one of --list, --graph or --host\n');
    expect(r.status).toBe(4);
  });
});

describe('provision exec and role', () => {
  it("exec 'echo hi' prints each host and hi", () => {
    const r = ok(run(['exec', 'echo hi', '-i', INVENTORY]));
    // Hosts run in parallel: each prints as it finishes, as Ansible's ad hoc commands do.
    const blocks = r.stdout.split(/(?=^box\d \|)/m).sort();
    expect(blocks).toEqual(['box1 | CHANGED >>\nhi\n', 'box2 | CHANGED >>\nhi\n']);
  });

  it('exec --limit runs on those hosts only', () => {
    const r = ok(run(['exec', 'echo hi', '-i', INVENTORY, '--limit', 'box2']));
    expect(r.stdout).toBe('box2 | CHANGED >>\nhi\n');
  });

  it('exec of a failing command exits 2 and shows its output', () => {
    const r = run(['exec', 'echo oops >&2; exit 3', '-i', INVENTORY, '--limit', 'box1']);
    expectNoStack(r);
    expect(r.stdout).toMatch(/^box1 \| FAILED >>\n(.*\n)*oops\n/);
    expect(r.status).toBe(2);
  });

  it('role NAME runs the role from ./roles', () => {
    const r = ok(run(['role', 'greet', '-i', INVENTORY, '--no-become', '--json'], FIXTURES));
    const results = jsonLines(r.stdout).filter((e) => e.type === 'result' && e.task === 'greet : greet');
    expect(results.map((e) => [e.host, e.status])).toEqual([
      ['box1', 'ok'],
      ['box2', 'ok'],
    ]);
  });

  it('role of an unknown name is an input error that says where it looked', () => {
    const r = run(['role', 'nope', '-i', INVENTORY], FIXTURES);
    expectNoStack(r);
    expect(r.stderr).toBe(`error: role nope: role 'nope' not found\n  looked in: ${fx('roles')}\n`);
    expect(r.status).toBe(4);
  });
});

describe('run outcomes', () => {
  it('a failing task exits 2, writes the retry file, and --limit @FILE reruns exactly those hosts', () => {
    const marker = join(tmp.dir, 'm');
    const retry = join(tmp.dir, 'failed.retry');
    const first = run(['run', fx('fail.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--retry-file', retry]);
    expectNoStack(first);
    expect(first.status).toBe(2);
    expect(first.stdout).toMatch(/fatal: \[box2\].*box2 is broken on purpose/);
    expect(readFileSync(retry, 'utf8')).toBe('box2\n');
    // The other host went on.
    expect(existsSync(`${marker}-box1`)).toBe(true);
    expect(existsSync(`${marker}-box2`)).toBe(true);

    const again = join(tmp.dir, 'again');
    const second = run(['run', fx('fail.yaml'), '-i', INVENTORY, '-e', `marker=${again}`, '--limit', `@${retry}`, '--json', '--no-retry-file']);
    expectNoStack(second);
    expect(second.status).toBe(2);
    const hosts = new Set(jsonLines(second.stdout).filter((e) => e.type === 'result').map((e) => e.host));
    expect([...hosts]).toEqual(['box2']);
    expect(existsSync(`${again}-box1`)).toBe(false);
    expect(existsSync(`${again}-box2`)).toBe(true);
  });

  it('the retry file defaults to PLAYBOOK.retry beside the playbook', () => {
    const playbook = join(tmp.dir, 'fail.yaml');
    copyFileSync(fx('fail.yaml'), playbook);
    const r = run(['run', playbook, '-i', INVENTORY, '-e', `marker=${join(tmp.dir, 'm')}`]);
    expect(r.status).toBe(2);
    expect(readFileSync(join(tmp.dir, 'fail.retry'), 'utf8')).toBe('box2\n');
    expect(r.stdout).toContain(`--limit @${join(tmp.dir, 'fail.retry')}`);
  });

  it('an unreachable host exits 3 and the others go on', async () => {
    const port = await closedPort();
    const inventory = join(tmp.dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      `all:\n  children:\n    boxes:\n      hosts:\n        dead:\n          ansible_host: 127.0.0.1\n          ansible_port: ${port}\n          ansible_user: nobody\n        box1:\n          ansible_connection: local\n`,
    );
    const marker = join(tmp.dir, 'm');
    const retry = join(tmp.dir, 'r.retry');
    const r = run(['run', fx('fail.yaml'), '-i', inventory, '-e', `marker=${marker}`, '--retry-file', retry, '--json', '-T', '5']);
    expectNoStack(r);
    const events = jsonLines(r.stdout);
    const dead = events.filter((e) => e.type === 'result' && e.host === 'dead');
    expect(dead.map((e) => e.status)).toEqual(['unreachable']);
    expect(String(dead[0]?.msg)).toMatch(/127\.0\.0\.1/);
    expect(existsSync(`${marker}-box1`)).toBe(true);
    expect(readFileSync(retry, 'utf8')).toBe('dead\n');
    expect(r.status).toBe(3);
  });

  it('a failed task takes precedence over an unreachable host (exit 2)', async () => {
    const port = await closedPort();
    const inventory = join(tmp.dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      `all:\n  children:\n    boxes:\n      hosts:\n        box2:\n          ansible_connection: local\n        dead:\n          ansible_host: 127.0.0.1\n          ansible_port: ${port}\n`,
    );
    const r = run(['run', fx('fail.yaml'), '-i', inventory, '-e', `marker=${join(tmp.dir, 'm')}`, '--no-retry-file', '-T', '5']);
    expectNoStack(r);
    expect(r.stdout).toMatch(/UNREACHABLE/);
    expect(r.status).toBe(2);
  });

  it('--json: every line parses, results carry host/task/status/duration_ms/round_trips, the recap is last', () => {
    const r = run(['run', fx('fail.yaml'), '-i', INVENTORY, '-e', `marker=${join(tmp.dir, 'm')}`, '--json', '--no-retry-file']);
    expectNoStack(r);
    expect(r.status).toBe(2);
    const events = jsonLines(r.stdout);
    const results = events.filter((e) => e.type === 'result');
    // Hosts run in parallel: within a task, results come in any order.
    expect(results.map((e) => `${String(e.task)} ${String(e.host)} ${String(e.status)} ${String(e.round_trips)}`).sort()).toEqual([
      // The marker task is one command on an open connection; the skipped and failed ones need none.
      'create the marker box1 changed 1',
      'create the marker box2 changed 1',
      'fail on box2 box1 skipped 0',
      'fail on box2 box2 failed 0',
    ]);
    expect(results.map((e) => e.task)).toEqual(['create the marker', 'create the marker', 'fail on box2', 'fail on box2']);
    for (const e of results) {
      expect(typeof e.duration_ms).toBe('number');
      expect(e.duration_ms as number).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(e.round_trips)).toBe(true);
    }
    const last = events.at(-1);
    expect(last?.type).toBe('recap');
    expect(last?.hosts).toEqual({
      box1: expect.objectContaining({ ok: 0, changed: 1, failed: 0, skipped: 1, unreachable: 0 }),
      box2: expect.objectContaining({ ok: 0, changed: 1, failed: 1, skipped: 0, unreachable: 0 }),
    });
    expect(events.filter((e) => e.type === 'recap')).toHaveLength(1);
  });

  it('a --limit that matches nothing warns once and touches nothing', () => {
    const marker = join(tmp.dir, 'm');
    const r = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--limit', 'nohost']));
    expect(r.stderr.match(/Could not match supplied host pattern, ignoring: nohost/g)).toHaveLength(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('--check predicts the change and makes none', () => {
    const marker = join(tmp.dir, 'm');
    const r = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--check', '--json', '--limit', 'box1']));
    expect(jsonLines(r.stdout).at(-1)?.hosts).toEqual({ box1: expect.objectContaining({ changed: 1, failed: 0 }) });
    expect(existsSync(marker)).toBe(false);
  });

  it('a good run exits 0 and a second run changes nothing', () => {
    const marker = join(tmp.dir, 'm');
    // One host: two hosts would race to create the same marker.
    const first = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--json', '--limit', 'box1']));
    const changed = (out: string) => (jsonLines(out).at(-1)?.hosts as Record<string, { changed: number }>);
    expect(changed(first.stdout).box1?.changed).toBe(1);
    expect(existsSync(marker)).toBe(true);
    const second = ok(run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--json', '--limit', 'box1']));
    expect(changed(second.stdout).box1?.changed).toBe(0);
  }, 30_000); // two whole CLI processes: more than the unit default on a busy machine
});
