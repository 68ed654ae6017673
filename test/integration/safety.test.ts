// Safe runs on a real host (issue 9, items 4-6), on web02 only, in scratch paths: Ctrl-C ends the remote
// commands and leaves a recap and a retry file; one run per host at a time; handlers notified by a run
// that failed run on the next run.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changedTasks, provision, repoRoot } from './helpers/cli.js';
import { describeLab, labInventory, sshExec, sshRun } from './helpers/lab.js';

const target = 'web02';
const suffix = randomBytes(3).toString('hex');
const scratch = `/tmp/provision-safety-${suffix}`;
const bin = `${repoRoot}bin/provision.js`;

interface Started {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
}

/** Starts the CLI without waiting for it (to signal it, or to run two at once). */
function start(args: string[]): Started {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  child.stdin?.end();
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, done };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `sleep 300` processes on the host. */
function sleepers(): string {
  return sshExec(target, "pgrep -a -x sleep | grep -w 'sleep 300' || true").trim();
}

let local: string;
beforeAll(() => {
  local = mkdtempSync(join(tmpdir(), 'provision-safety-'));
});
afterAll(() => {
  rmSync(local, { recursive: true, force: true });
  sshRun(target, `rm -rf ${scratch}`, { sudo: true });
});

describeLab('interrupts, locks and pending handlers on web02', () => {
  it('SIGINT ends the remote command (no sleep left), prints the recap, writes the retry file, exits 130', async () => {
    expect(sleepers()).toBe('');
    const retry = join(local, 'interrupt.retry');
    const run = start([
      'run', 'test/fixtures/integration/safety-interrupt.yaml', '-i', labInventory,
      '-e', `target=${target} scratch=${scratch}`, '--retry-file', retry,
    ]);
    await until(() => sleepers() !== '', 60_000, 'sleep 300 on the host');
    const t0 = Date.now();
    run.child.kill('SIGINT');
    const code = await run.done;
    expect(code, run.output()).toBe(130);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(run.output()).toMatch(/PLAY RECAP/);
    expect(run.output()).toMatch(/Interrupted by SIGINT: the run did not finish on web02/);
    expect(readFileSync(retry, 'utf8')).toBe('web02\n');
    expect(sleepers()).toBe('');
    expect(sshExec(target, `test -e ${scratch}/after-interrupt && echo started || echo never`).trim()).toBe('never');
  });

  const lockRun = (who: string, hold: number, ...extra: string[]): Started =>
    start([
      'run', 'test/fixtures/integration/safety-lock.yaml', '-i', labInventory, '--no-retry-file',
      '-e', `target=${target} scratch=${scratch} who=${who} hold=${hold}`, ...extra,
    ]);
  const order = (): string[] => sshExec(target, `cat ${scratch}/order 2>/dev/null || true`).trim().split('\n').filter(Boolean);
  const started = (who: string) => () => order().includes(`start ${who}`);

  it('a second run is refused at once with the holder; with --lock-timeout it waits; never interleaved', async () => {
    const first = lockRun('A', 8);
    await until(started('A'), 60_000, 'the first run to start');
    const refused = lockRun('B', 0);
    expect(await refused.done, refused.output()).toBe(2);
    expect(refused.output()).toMatch(
      new RegExp(`another run holds the lock of this host: user=\\S+ control=\\S+ pid=${first.child.pid} playbook=\\S+safety-lock\\.yaml since=20\\d\\d-`),
    );
    const waiting = lockRun('C', 0, '--lock-timeout', '60');
    expect(await first.done, first.output()).toBe(0);
    expect(await waiting.done, waiting.output()).toBe(0);
    expect(order()).toEqual(['start A', 'end A', 'start C', 'end C']);
  });

  it('a run killed with SIGKILL releases the lock and leaves no command running', async () => {
    sshRun(target, `rm -f ${scratch}/order`, { sudo: true });
    const killed = lockRun('K', 300);
    await until(started('K'), 60_000, 'the run to start');
    expect(sleepers()).not.toBe('');
    killed.child.kill('SIGKILL');
    await killed.done;
    // The shell's watchdog sees its connection gone within a second or two and ends the command.
    await until(() => sleepers() === '', 15_000, 'the remote sleep to end');
    const next = lockRun('L', 0);
    expect(await next.done, next.output()).toBe(0);
    expect(order()).toEqual(['start K', 'start L', 'end L']);
  });

  it('a reload lost to a failing task runs on the rerun that changes nothing: the running nginx serves the new config', () => {
    const conf = `/etc/nginx/conf.d/provision-safety-${suffix}.conf`;
    const port = 18000 + (parseInt(suffix, 16) % 1000);
    const marker = `pending-${suffix}`;
    const serve = (): string => sshExec(target, `curl -s --max-time 5 http://127.0.0.1:${port}/ || echo not-served`).trim();
    const site = (): string => sshExec(target, 'curl -s -o /dev/null -w "%{http_code}" http://192.168.56.12/').trim();
    const siteBefore = site();
    const run = (step: string) =>
      provision([
        'run', 'test/fixtures/integration/safety-handlers.yaml', '-i', labInventory, '--no-retry-file', '--json',
        '-e', `target=${target} suffix=${suffix} port=${port} marker=${marker} step=${step}`,
      ]);
    try {
      const first = run('first');
      expect(first.code, first.stdout + first.stderr).toBe(2);
      expect(changedTasks(first, target)).toEqual(['scratch server block']);
      expect(serve()).toBe('not-served');
      expect(JSON.parse(sshExec(target, `cat /var/lib/provision/handlers-${target}.json`, { sudo: true }))).toEqual(['reload nginx']);

      const second = run('second');
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(changedTasks(second, target)).toEqual(['reload nginx']);
      expect(serve()).toBe(marker);
      expect(sshExec(target, `test -e /var/lib/provision/handlers-${target}.json && echo left || echo cleared`, { sudo: true }).trim()).toBe('cleared');

      const third = run('third');
      expect(changedTasks(third, target)).toEqual([]);
    } finally {
      sshRun(target, `rm -f ${conf} && nginx -t -q && systemctl reload nginx`, { sudo: true });
    }
    expect(serve()).toBe('not-served');
    expect(site()).toBe(siteBefore);
  });
});
