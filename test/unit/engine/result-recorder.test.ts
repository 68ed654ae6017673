// The result recorder (engine/result-recorder.ts): one place for a host's counts, register, notify,
// failed/unreachable marks and the result event, no_log included.

import { beforeEach, describe, expect, it } from 'vitest';
import { syntheticTask } from '../../../src/core/playbook/synthetic-task.js';
import type { Task } from '../../../src/core/playbook/types.js';
import { EventBus, type RunEvent } from '../../../src/engine/events.js';
import type { HostState } from '../../../src/engine/host-state.js';
import { defaultRunOptions } from '../../../src/engine/options.js';
import { recordItemResult, recordTaskResult, type ResultStep } from '../../../src/engine/result-recorder.js';
import { RunContext } from '../../../src/engine/run-context.js';
import { errorOutcome, failedOutcome, planOutcome, skippedOutcome } from '../../../src/engine/task-result.js';
import { ConnectionError } from '../../../src/core/errors.js';
import { defineModule } from '../../../src/modules/types.js';
import { fakeInventory } from '../playbook/fake-inventory.js';
import { z } from 'zod';

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

function task(overrides: Partial<Task> = {}): Task {
  return syntheticTask({ name: 'a task', module: 'shout', args: {}, baseDir: '.', location: { file: 'site.yaml', line: 3, col: 7 }, ...overrides });
}

// A module that shows its result's `text`: the recorder takes display text from the module, whatever its name.
const shout = defineModule({ name: 'shout', args: z.object({}), plan: async () => ({ actions: [] }), display: (r) => (typeof r.text === 'string' ? r.text.toUpperCase() : undefined) });

let events: ResultEvent[];
let rc: RunContext;
let host: HostState;
const measure = { started: Date.now(), roundTrips: 2 };
const changed = planOutcome({ actions: [{ kind: 'exec', command: 'touch /x' }] }, ['touch /x'], { interpreted: { rc: 0, stdout: 'made', stderr: '' }, diff: false });

beforeEach(() => {
  events = [];
  const bus = new EventBus();
  bus.on((e) => e.type === 'result' && events.push(e));
  rc = new RunContext(fakeInventory({ web: ['web01'] }), defaultRunOptions, bus, '.');
  host = rc.hostState('web01');
});

const step = (t: Partial<Task> = {}, handler = false): ResultStep => ({ task: task(t), handler, module: shout });

describe('recordTaskResult', () => {
  it('changed: counted, registered, notifies its handlers, one event with round trips and output', () => {
    const result = recordTaskResult(rc, host, step({ register: 'out', notify: ['restart app'] }), changed, measure);
    expect(result).toEqual({ status: 'changed', data: changed.data });
    expect(host.counts).toMatchObject({ ok: 0, changed: 1, failed: 0 });
    expect(host.runtimeVars.out).toMatchObject({ rc: 0, stdout: 'made', changed: true });
    expect([...host.notified]).toEqual(['restart app']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ host: 'web01', task: 'a task', status: 'changed', round_trips: 2, handler: false, check: false, commands: ['touch /x'], stdout: 'made' });
    expect(events[0]?.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('ok does not notify', () => {
    recordTaskResult(rc, host, step({ notify: ['restart app'] }), planOutcome({ actions: [] }, []), measure);
    expect(host.notified.size).toBe(0);
    expect(host.counts.ok).toBe(1);
  });

  it('failed: the host fails; with ignore_errors it goes on, counted ok and ignored, the event says ignored', () => {
    recordTaskResult(rc, host, step(), failedOutcome('boom'), measure);
    expect(host.failed).toBe(true);
    expect(host.counts.failed).toBe(1);
    const other = rc.hostState('web02');
    recordTaskResult(rc, other, step({ ignoreErrors: true }), failedOutcome('boom'), measure);
    expect(other.failed).toBe(false);
    expect(other.counts).toMatchObject({ ok: 1, ignored: 1, failed: 0 });
    expect(events.map((e) => [e.host, e.status, e.msg, e.ignored])).toEqual([
      ['web01', 'failed', 'boom', undefined],
      ['web02', 'failed', 'boom', true],
    ]);
  });

  it('unreachable: the host is marked unreachable, not failed', () => {
    recordTaskResult(rc, host, step(), errorOutcome(new ConnectionError('web01', 'no route to host'), 'web01'), measure);
    expect(host.unreachable).toBe(true);
    expect(host.failed).toBe(false);
    expect(host.counts.unreachable).toBe(1);
    expect(events[0]).toMatchObject({ status: 'unreachable', msg: 'no route to host' });
  });

  it('skipped: counted, and registered as skipped', () => {
    recordTaskResult(rc, host, step({ register: 'r' }), skippedOutcome('conditional result was false'), measure);
    expect(host.counts.skipped).toBe(1);
    expect(host.runtimeVars.r).toMatchObject({ skipped: true, skip_reason: 'conditional result was false' });
  });

  it("the module's display text, for ok results only", () => {
    const shown = planOutcome({ actions: [], result: { text: 'hello' } }, []);
    recordTaskResult(rc, host, step(), shown, measure);
    recordTaskResult(rc, host, step(), { ...shown, status: 'skipped' }, measure);
    recordTaskResult(rc, host, { task: task(), handler: false }, shown, measure);
    expect(events.map((e) => e.display)).toEqual(['HELLO', undefined, undefined]);
  });

  it('no_log: the event hides the output and the failure, register keeps the data', () => {
    const secret = planOutcome({ actions: [{ kind: 'exec', command: 'cat /secret' }] }, ['cat /secret'], { interpreted: { stdout: 's3cret' }, failure: 'exit code 1', diff: false });
    recordTaskResult(rc, host, step({ noLog: true, register: 'r' }), secret, measure);
    const e = events[0] as ResultEvent;
    expect(e.msg).toMatch(/hidden due to the fact that 'no_log: true'/);
    expect(JSON.stringify(e)).not.toContain('s3cret');
    expect(e.commands).toBeUndefined();
    expect(host.runtimeVars.r).toMatchObject({ stdout: 's3cret' });
  });

  it('handlers are reported as handlers', () => {
    recordTaskResult(rc, host, step({}, true), planOutcome({ actions: [] }, []), measure);
    expect(events[0]?.handler).toBe(true);
  });
});

describe('recordItemResult', () => {
  it('emits the item with its own round trips, and leaves the bookkeeping to the task', () => {
    recordItemResult(rc, host, step({ register: 'r', notify: ['h'] }), changed, { started: Date.now(), roundTrips: 1 }, 'nginx');
    expect(events[0]).toMatchObject({ status: 'changed', item: 'nginx', round_trips: 1 });
    expect(host.counts.changed).toBe(0);
    expect(host.runtimeVars.r).toBeUndefined();
    expect(host.notified.size).toBe(0);
  });
});
