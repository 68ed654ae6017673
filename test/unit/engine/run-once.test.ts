// run_once (result and facts shared with the other hosts) and delegate_to another local host.

import { describe, expect, it } from 'vitest';
import { runFixture } from './harness.js';

describe('run_once and delegate_to', () => {
  it('run_once runs on the first host only and shares its registered result and facts', async () => {
    const o = await runFixture('run-once.yaml');
    expect(o.statuses('once')).toEqual(['h1:changed']);
    expect(o.result('once', 'h1').stdout).toBe('from h1');
    const seen = o.results('everyone sees it').map((r) => r.msg).sort();
    expect(seen).toEqual(['h1 got from h1', 'h2 got from h1', 'h3 got from h1', 'h4 got from h1']);
    expect(o.statuses('set a fact once')).toEqual(['h1:ok']);
    expect(o.results('the fact is shared').map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('delegate_to runs the task with the original host variables and reports it under that host', async () => {
    const o = await runFixture('run-once.yaml');
    const delegated = o.results('delegated');
    expect(delegated.map((r) => `${r.host}:${r.stdout}`).sort()).toEqual(['h1:h1', 'h2:h2', 'h3:h3', 'h4:h4']);
    // One round trip each, although h1, h2 and h3 used h4's connection at the same time.
    expect(delegated.every((r) => r.round_trips === 1)).toBe(true);
    expect(o.results('delegated result is the host\'s own').map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(o.summary.exitCode).toBe(0);
  });

  it('a run_once task that fails fails every host of the batch (as in Ansible)', async () => {
    const o = await runFixture('run-once-fail.yaml');
    expect(o.statuses('migrate once')).toEqual(['h1:failed']);
    expect(o.statuses('after')).toEqual([]);
    expect(o.summary.exitCode).toBe(2);
  });
});
