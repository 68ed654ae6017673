// One run per host at a time, with local connections (the lock's file in the run's temp state dir):
// a second run is refused at once with who holds the host, or waits with --lock-timeout, and never
// interleaves; a shell that dies releases the lock; taking it costs no round trip.

import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../src/transport/local.js';
import { RunLockedError } from '../../../src/transport/run-lock.js';
import { makeTmp, removeTmp, runFixture } from './harness.js';

let tmp: string;
beforeEach(() => {
  tmp = makeTmp();
});
afterEach(() => removeTmp(tmp));

const order = (): string[] => readFileSync(join(tmp, 'order'), 'utf8').trim().split('\n');

describe('run lock', () => {
  it('refuses a second run at once, naming the holder (user, control host, pid, playbook, since)', async () => {
    const first = runFixture('lock.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { who: 'A', hold: 3 } });
    await new Promise((r) => setTimeout(r, 1200));
    const t0 = Date.now();
    const second = await runFixture('lock.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { who: 'B', hold: 0 } });
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(second.summary.exitCode).toBe(2);
    const refused = second.result('hold', 'h1');
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(/another run holds the lock/);
    expect(refused.msg).toContain(`user=${userInfo().username}`);
    expect(refused.msg).toContain(`pid=${process.pid}`);
    expect(refused.msg).toMatch(/playbook=\S+lock\.yaml since=\d{4}-\d\d-\d\dT/);
    expect(refused.msg).toMatch(/--lock-timeout/);
    expect((await first).summary.exitCode).toBe(0);
    expect(order()).toEqual(['start A', 'end A']);
  }, 20_000);

  it('with a lock timeout, waits for the first run and never interleaves', async () => {
    const first = runFixture('lock.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { who: 'A', hold: 2 } });
    await new Promise((r) => setTimeout(r, 800));
    const second = runFixture('lock.yaml', { tmp, extraVars: { who: 'B', hold: 0 }, options: { stateDir: join(tmp, '.state'), lockTimeoutSeconds: 20 } });
    const [a, b] = await Promise.all([first, second]);
    expect(a.summary.exitCode).toBe(0);
    expect(b.summary.exitCode).toBe(0);
    expect(order()).toEqual(['start A', 'end A', 'start B', 'end B']);
  }, 30_000);

  it('a lock timeout that runs out fails the host with the holder', async () => {
    const first = runFixture('lock.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { who: 'A', hold: 4 } });
    await new Promise((r) => setTimeout(r, 800));
    const t0 = Date.now();
    const second = await runFixture('lock.yaml', { tmp, extraVars: { who: 'B', hold: 0 }, options: { stateDir: join(tmp, '.state'), lockTimeoutSeconds: 1 } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(second.result('hold', 'h1').msg).toMatch(/still after waiting for 1 s.*user=/);
    await first;
    expect(order()).toEqual(['start A', 'end A']);
  }, 30_000);

  it('is released when the holding shell dies, and commands do not inherit it', async () => {
    const request = { stateDir: join(tmp, 'state'), name: 'h1', holder: 'first', waitSeconds: 0, become: false as const };
    const one = new LocalTransport('h1');
    const two = new LocalTransport('h1');
    try {
      await one.lock(request);
      // A command started by the holder that outlives its shell must not keep the lock.
      const pid = Number((await one.exec('sleep 30 >/dev/null 2>&1 & echo $!')).stdout);
      await expect(two.lock({ ...request, holder: 'second' })).rejects.toThrow(RunLockedError);
      const shell = Number((await one.exec('echo $PPID')).stdout);
      process.kill(shell, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      const three = new LocalTransport('h1');
      try {
        await expect(three.lock({ ...request, holder: 'third' })).resolves.toEqual({ pendingHandlers: '' });
      } finally {
        await three.close();
        process.kill(pid, 'SIGKILL');
      }
    } finally {
      await one.close();
      await two.close();
    }
  }, 20_000);
});
