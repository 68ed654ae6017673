// SIGINT/SIGTERM during a run (driven here through the run's AbortSignal, as the CLI does): no task
// starts after it, the commands in flight die with their whole process group, the recap names the
// interrupted hosts, the retry file lists them, exit code 130.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/core/errors.js';
import { makeTmp, removeTmp, runFixture } from './harness.js';

let tmp: string;
beforeEach(() => {
  tmp = makeTmp();
});
afterEach(() => removeTmp(tmp));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('interrupting a run', () => {
  it('ends the commands in flight with their process group, starts nothing more, recap + retry file, 130', async () => {
    const controller = new AbortController();
    const retryFile = join(tmp, 'run.retry');
    const started = Date.now();
    const pending = runFixture('interrupt.yaml', { tmp, options: { retryFile, stateDir: join(tmp, '.state') }, interrupt: controller.signal });
    await waitFor(() => ['h1', 'h2'].every((h) => existsSync(join(tmp, `${h}.child`))), 10_000);
    const pids = ['h1', 'h2'].flatMap((h) => ['pid', 'child'].map((k) => Number(readFileSync(join(tmp, `${h}.${k}`), 'utf8'))));
    expect(pids.every(alive)).toBe(true);
    controller.abort('SIGINT');
    const o = await pending;
    expect(Date.now() - started).toBeLessThan(15_000);
    // The command and its background child (same process group) are gone.
    for (const pid of pids) await waitFor(() => !alive(pid), 3_000);
    expect(o.summary.exitCode).toBe(ExitCode.interrupted);
    expect(o.results('after')).toEqual([]);
    expect(existsSync(join(tmp, 'after-h1'))).toBe(false);
    expect(existsSync(join(tmp, 'handler-h1'))).toBe(false);
    const recap = o.events.find((e) => e.type === 'recap');
    expect(recap).toMatchObject({ interrupted: { signal: 'SIGINT', hosts: ['h1', 'h2'] }, retry_file: retryFile });
    expect(readFileSync(retryFile, 'utf8')).toBe('h1\nh2\n');
    // The notification the interrupt kept from running is recorded on each host for the next run.
    for (const h of ['h1', 'h2']) expect(JSON.parse(readFileSync(join(tmp, '.state', `handlers-${h}.json`), 'utf8'))).toEqual(['never run']);
  }, 30_000);

  it('an abort before the run starts runs nothing', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const o = await runFixture('interrupt.yaml', { tmp, interrupt: controller.signal });
    expect(o.results()).toEqual([]);
    expect(o.summary.exitCode).toBe(ExitCode.interrupted);
  });
});
