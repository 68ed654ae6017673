// Fact gathering runs as an ordinary step through the executor: one probe, one round trip, a result
// counted like any task's, its facts as variables (ansible_facts.x and ansible_x) for later tasks.

import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runFixture } from './harness.js';

const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

describe('Gathering Facts', () => {
  it('is one ok result per host in one round trip, counted in the recap, its facts usable by later tasks', async () => {
    const o = await runFixture('gather-facts.yaml');
    for (const host of ['h1', 'h2']) {
      expect(o.result('Gathering Facts', host)).toMatchObject({ status: 'ok', round_trips: 1, handler: false });
      expect(o.result('show facts', host).display).toBe(`${userInfo().username}|${kernel}`);
    }
    expect(o.summary.hosts.h1).toMatchObject({ ok: 2, changed: 0, failed: 0 });
    const starts = o.events.filter((e) => e.type === 'task_start' && e.task === 'Gathering Facts');
    expect(starts).toHaveLength(1);
  });

  it('happens once per host in a run: a later play reuses the facts (gathering = smart)', async () => {
    const o = await runFixture('gather-facts-smart.yaml');
    const gathered = o.results('Gathering Facts').map((r) => r.host);
    expect(gathered).toEqual(['h1', 'h2']);
    const starts = o.events.filter((e) => e.type === 'task_start' && e.task === 'Gathering Facts');
    expect(starts.map((e) => (e.type === 'task_start' ? e.hosts : []))).toEqual([['h1'], ['h2']]);
    for (const host of ['h1', 'h2']) {
      expect(o.result('second', host).display).toBe(kernel);
      expect(o.result('third', host).display).toBe(`${userInfo().username}|${kernel}`);
      expect(o.result('fourth', host).display).toBe(kernel);
    }
    // h1: its facts, then first..fourth; h2: its facts, then second..fourth.
    expect(o.summary.hosts.h1).toMatchObject({ ok: 5, changed: 0 });
    expect(o.summary.hosts.h2).toMatchObject({ ok: 4, changed: 0 });
  });
});
