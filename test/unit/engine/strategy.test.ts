// Strategies and forks: linear (task by task), free (host by host), --forks.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixture, type Outcome } from './harness.js';

const TASKS = ['slow on h1', 'second', 'third'];

/** `task@host` of every task-level result, in emit order. */
function order(o: Outcome): string[] {
  return o.results().filter((r) => r.item === undefined).map((r) => `${r.task}@${r.host}`);
}

describe('linear strategy', () => {
  it('every host finishes task N before any host starts task N+1, hosts in parallel', async () => {
    const o = await runFixture('linear-parallel.yaml', { tmp: mkdtempSync(join(tmpdir(), 'provision-linear-')) });
    const seq = order(o);
    expect(seq).toHaveLength(12);
    for (let n = 0; n < TASKS.length; n++) {
      const slice = seq.slice(n * 4, n * 4 + 4);
      expect(slice.every((s) => s.startsWith(`${TASKS[n]}@`))).toBe(true);
    }
    // In parallel: the slow host finishes its first task last.
    expect(seq[3]).toBe('slow on h1@h1');
    // One task_start per task, naming all hosts, each followed by its task_end.
    const starts = o.events.filter((e) => e.type === 'task_start' || e.type === 'task_end').map((e) => `${e.type}:${e.task}`);
    expect(starts).toEqual(TASKS.flatMap((t) => [`task_start:${t}`, `task_end:${t}`]));
    expect(o.summary.exitCode).toBe(0);
    expect(o.summary.hosts.h1).toMatchObject({ ok: 2, changed: 1, failed: 0, skipped: 0, unreachable: 0 });
  });

  it('--forks 1 runs one host at a time, in inventory order', async () => {
    const o = await runFixture('linear.yaml', { options: { forks: 1 } });
    expect(order(o)).toEqual(TASKS.flatMap((t) => ['h1', 'h2', 'h3', 'h4'].map((h) => `${t}@${h}`)));
  });
});

describe('free strategy', () => {
  it('each host runs through its tasks on its own: fast hosts do not wait for the slow one', async () => {
    const o = await runFixture('free-handoff.yaml', { tmp: mkdtempSync(join(tmpdir(), 'provision-free-')) });
    const seq = order(o);
    expect(seq).toHaveLength(12);
    // h1's first task succeeds only if h2 wrote the marker in its last task while h1 was still in its
    // first: h2 did not wait. (Not the order of their result events: h1 may see the marker and answer
    // before h2's own answer comes back, on a busy machine.)
    expect(o.result('slow on h1', 'h1').status).toBe('changed');
    // Per host, tasks stay in order.
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      expect(seq.filter((s) => s.endsWith(`@${h}`))).toEqual(TASKS.map((t) => `${t}@${h}`));
    }
    expect(o.summary.exitCode).toBe(0);
  });

  it('free with --forks 1 runs host after host', async () => {
    const o = await runFixture('free.yaml', { options: { forks: 1 } });
    expect(order(o)).toEqual(['h1', 'h2', 'h3', 'h4'].flatMap((h) => TASKS.map((t) => `${t}@${h}`)));
  });
});
