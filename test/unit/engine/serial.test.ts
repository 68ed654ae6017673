// serial: batches of hosts, each running the whole play, handlers included.

import { describe, expect, it } from 'vitest';
import { runFixture, type Outcome } from './harness.js';

interface Batch {
  play: string;
  batch?: { index: number; count: number };
  hosts: string[];
  /** `task@host` results in the batch, sorted within each task. */
  results: string[];
}

function batches(o: Outcome): Batch[] {
  const out: Batch[] = [];
  for (const e of o.events) {
    if (e.type === 'play_start') out.push({ play: e.play, ...(e.batch ? { batch: e.batch } : {}), hosts: e.hosts, results: [] });
    if (e.type === 'result') out[out.length - 1]?.results.push(`${e.handler ? 'H ' : ''}${e.task}@${e.host}`);
  }
  return out;
}

function expected(play: string, groups: string[][]): Batch[] {
  return groups.map((hosts, index) => ({
    play,
    batch: { index, count: groups.length },
    hosts,
    results: [...hosts.map((h) => `change@${h}`), ...hosts.map((h) => `H announce@${h}`)],
  }));
}

describe('serial batches', () => {
  it('serial 2, "50%" and [1, 2] split the hosts; each batch runs its own handlers', async () => {
    const o = await runFixture('serial.yaml', { options: { forks: 1 } });
    expect(batches(o)).toEqual([
      ...expected('serial two', [['h1', 'h2'], ['h3', 'h4']]),
      ...expected('serial half', [['h1', 'h2'], ['h3', 'h4']]),
      ...expected('serial list', [['h1'], ['h2', 'h3'], ['h4']]),
    ]);
    expect(o.summary.hosts.h1).toMatchObject({ ok: 3, changed: 3, failed: 0 });
    expect(o.summary.exitCode).toBe(0);
  });

  it('serial may be a template over the play vars and extra vars', async () => {
    const fromPlay = await runFixture('serial-templated.yaml');
    expect(batches(fromPlay).map((b) => b.hosts)).toEqual([['h1', 'h2', 'h3'], ['h4']]);
    const fromExtra = await runFixture('serial-templated.yaml', { extraVars: { batch: '50%' } });
    expect(batches(fromExtra).map((b) => b.hosts)).toEqual([['h1', 'h2'], ['h3', 'h4']]);
  });
});

describe('a serial batch whose every host failed', () => {
  it('stops the later batches and plays, as Ansible does, with a warning naming the hosts not run', async () => {
    const o = await runFixture('serial-stop.yaml');
    expect(batches(o).map((b) => b.hosts)).toEqual([['h1']]);
    expect(o.results('put back')).toEqual([]);
    expect(o.results('next play')).toEqual([]);
    expect(o.warnings().join('\n')).toMatch(/every host of batch 1\/4 failed; not run: h2, h3, h4/);
    expect(o.summary.exitCode).toBe(2);
  });

  it('goes on when a batch still has a host that did not fail', async () => {
    const o = await runFixture('serial-stop.yaml', { extraVars: { batch_size: 2 } });
    expect(batches(o).map((b) => b.hosts)).toEqual([['h1', 'h2'], ['h3', 'h4'], ['h2', 'h3', 'h4']]);
    expect(o.results('put back').map((r) => r.host)).toEqual(['h2', 'h3', 'h4']);
    expect(o.warnings().join('\n')).not.toMatch(/not run/);
  });
});
