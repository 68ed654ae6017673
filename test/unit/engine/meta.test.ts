// meta: the module's control request (flush_handlers, end_host, end_play) acted on by the play runner,
// in a real run and in --check; meta results are not counted in the recap, as in Ansible.

import { describe, expect, it } from 'vitest';
import { runFixture, sorted } from './harness.js';

describe('meta', () => {
  it('flush_handlers runs the notified handlers at once, and not again at the end of the play', async () => {
    const o = await runFixture('meta.yaml');
    const order = o.results().filter((r) => r.item === undefined && ['notify', 'H', 'after flush'].includes(r.task)).map((r) => r.task);
    expect(order).toEqual(['notify', 'notify', 'H', 'H', 'after flush', 'after flush']);
    expect(sorted(o.statuses('H'))).toEqual(['h1:ok', 'h2:ok']);
  });

  it('end_host ends the play for that host only, without failing it; end_play ends it for all; the next play runs', async () => {
    const o = await runFixture('meta.yaml');
    expect(o.statuses('only h1')).toEqual(['h1:ok']);
    expect(sorted(o.statuses('second play runs on both'))).toEqual(['h1:ok', 'h2:ok']);
    expect(o.statuses('never')).toEqual([]);
    expect(o.statuses('third play')).toEqual(['h1:ok']);
    expect(o.summary.exitCode).toBe(0);
    // meta tasks are not counted (Ansible's recap does not count them, run or skipped).
    expect(o.summary.hosts.h1).toMatchObject({ ok: 5, changed: 1, skipped: 0, failed: 0 });
    expect(o.summary.hosts.h2).toMatchObject({ ok: 3, changed: 1, skipped: 0, failed: 0 });
  });

  it('acts the same in --check (the command is skipped there, so no handler is notified)', async () => {
    const o = await runFixture('meta.yaml', { options: { check: true } });
    expect(o.statuses('H')).toEqual([]);
    expect(o.statuses('only h1')).toEqual(['h1:ok']);
    expect(o.statuses('never')).toEqual([]);
    expect(o.statuses('third play')).toEqual(['h1:ok']);
  });

  it('a host that ended its play runs none of its notified handlers, and a warning says so', async () => {
    const o = await runFixture('meta-handlers-end.yaml');
    expect(o.statuses('never handled')).toEqual([]);
    expect(o.warnings()).toEqual([expect.stringMatching(/never handled.*|ended the play \(meta\)/)]);
    expect(o.warnings()[0]).toMatch(/ended the play \(meta\): never handled/);
    expect(o.summary.exitCode).toBe(0);
  });
});

describe('meta with serial batches', () => {
  it('end_batch ends the current batch only; end_play ends the later batches too', async () => {
    const o = await runFixture('meta-serial.yaml');
    expect(sorted(o.statuses('before'))).toEqual(['h1:ok', 'h2:ok', 'h3:ok', 'h4:ok']);
    expect(sorted(o.statuses('after end_batch'))).toEqual(['h3:ok', 'h4:ok']);
    expect(sorted(o.statuses('first batch only'))).toEqual(['h1:ok', 'h2:ok']);
    expect(o.statuses('never after end_play')).toEqual([]);
    expect(o.warnings()).toEqual([]);
    expect(o.summary.exitCode).toBe(0);
  });
});
