// Handlers: once at the end of the play, in definition order, only where notified (by name or
// listen topic), chained notifications, failures and --force-handlers, lost notifications warned.

import { describe, expect, it } from 'vitest';
import { hostsWith, runFixture } from './harness.js';

describe('handlers', () => {
  it('run once at the end of the play, in definition order, only where notified', async () => {
    const o = await runFixture('handlers.yaml');
    const handlerResults = o.results().filter((r) => r.handler).map((r) => `${r.task}@${r.host}:${r.status}`);
    // A (notified twice on h1) runs once; B by its listen topic on h2; C after A although notified
    // first; E because A notified it; D never (its task did not change).
    expect(handlerResults).toEqual(['A@h1:changed', 'B@h2:ok', 'C@h1:ok', 'E@h1:ok']);
    // All handlers come after the last task.
    const lastTask = o.events.findLastIndex((e) => e.type === 'result' && !e.handler);
    const firstHandler = o.events.findIndex((e) => e.type === 'result' && e.handler);
    expect(firstHandler).toBeGreaterThan(lastTask);
    const handlerStarts = o.events.flatMap((e) => (e.type === 'task_start' && e.handler ? [`${e.task}:${e.hosts.join(',')}`] : []));
    expect(handlerStarts).toEqual(['A:h1', 'B:h2', 'C:h1', 'E:h1']);
    expect(o.warnings()).toEqual([]);
    expect(o.summary.exitCode).toBe(0);
    // Handler results count in the recap: h1 ran 3 changed tasks, 2 skipped, 1 ok task + A changed, C, E ok.
    expect(o.summary.hosts.h1).toMatchObject({ ok: 3, changed: 3, skipped: 1, failed: 0 });
    expect(o.summary.hosts.h3).toMatchObject({ ok: 1, changed: 0, skipped: 3 });
  });

  it('still run on the other hosts when a later task fails on one host, and warn about the lost one', async () => {
    const o = await runFixture('handlers-fail.yaml');
    expect(hostsWith(o, 'fail on h2', 'failed')).toEqual(['h2']);
    expect(hostsWith(o, 'after the failure', 'ok')).toEqual(['h1', 'h3', 'h4']);
    expect(o.results('after the failure').map((r) => r.host)).not.toContain('h2');
    expect(hostsWith(o, 'restart app', 'ok')).toEqual(['h1', 'h3', 'h4']);
    const warnings = o.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/h2/);
    expect(warnings[0]).toMatch(/restart app/);
    expect(warnings[0]).toMatch(/--force-handlers/);
    expect(o.summary.exitCode).toBe(2);
    expect(o.summary.hosts.h2).toMatchObject({ ok: 0, changed: 1, failed: 1 });
  });

  it('--force-handlers runs them on the failed host too, and nothing is lost', async () => {
    const o = await runFixture('handlers-fail.yaml', { options: { forceHandlers: true } });
    expect(hostsWith(o, 'restart app', 'ok')).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(o.warnings()).toEqual([]);
    // The host stays failed: the run still fails.
    expect(o.summary.exitCode).toBe(2);
    expect(o.summary.hosts.h2).toMatchObject({ ok: 1, changed: 1, failed: 1 });
  });
});
