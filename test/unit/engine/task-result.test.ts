// The result normaliser (engine/task-result.ts): plans, executions, overrides, loops and errors
// become Ansible-shaped registered results with a status.

import { describe, expect, it } from 'vitest';
import { ConnectionError, InputError } from '../../../src/core/errors.js';
import { errorOutcome, failedOutcome, loopOutcome, overrideOutcome, planOutcome, retriesExhausted, skippedOutcome } from '../../../src/engine/task-result.js';
import type { Plan } from '../../../src/modules/types.js';

const write: Plan['actions'][number] = { kind: 'put', path: '/etc/x', content: 'x' };

describe('planOutcome', () => {
  it('no actions: ok, not changed, the module result kept', () => {
    const o = planOutcome({ actions: [], result: { stat: { exists: true } } }, []);
    expect(o.status).toBe('ok');
    expect(o.data).toEqual({ stat: { exists: true }, changed: false, failed: false });
  });

  it('actions: changed, the interpreted output merged over the plan result', () => {
    const o = planOutcome({ actions: [write], result: { rc: -1, note: 'kept' } }, ['write /etc/x'], { interpreted: { rc: 0, stdout: 'done' }, diff: false });
    expect(o.status).toBe('changed');
    expect(o.data).toEqual({ rc: 0, note: 'kept', stdout: 'done', changed: true, failed: false });
    expect(o.commands).toEqual(['write /etc/x']);
  });

  it('a plan that says changed without actions is changed (a forced restart)', () => {
    expect(planOutcome({ actions: [], changed: true }, []).status).toBe('changed');
  });

  it('a failed action: failed with its message', () => {
    const o = planOutcome({ actions: [write] }, [], { interpreted: {}, failure: 'validation failed: bad', diff: false });
    expect(o.status).toBe('failed');
    expect(o.data).toMatchObject({ failed: true, changed: true, msg: 'validation failed: bad' });
  });

  it('the diff goes into the registered result only with --diff', () => {
    const plan: Plan = { actions: [write], diff: [{ path: '/etc/x', before: 'a', after: 'b' }] };
    expect(planOutcome(plan, [], { interpreted: {}, diff: false }).data.diff).toBeUndefined();
    expect(planOutcome(plan, [], { interpreted: {}, diff: true }).data.diff).toEqual([{ path: '/etc/x', before: 'a', after: 'b' }]);
  });

  it('a plan that fails: failed, its message and its result', () => {
    const o = planOutcome({ actions: [], failed: 'port must be set', result: { assertion: 'that[1]' } }, []);
    expect(o.status).toBe('failed');
    expect(o.data).toEqual({ assertion: 'that[1]', changed: false, failed: true, msg: 'port must be set' });
  });

  it('a plan that skips: skipped with its reason, its result kept, its actions not counted as a change', () => {
    const o = planOutcome({ actions: [], skipped: 'not run in check mode', result: { msg: 'Command would have run', cmd: 'reboot' } }, []);
    expect(o.status).toBe('skipped');
    expect(o.data).toEqual({ msg: 'Command would have run', cmd: 'reboot', changed: false, skipped: true, skip_reason: 'not run in check mode' });
  });
});

describe('overrideOutcome (changed_when, failed_when)', () => {
  const failedRun = planOutcome({ actions: [write] }, [], { interpreted: { rc: 1 }, failure: 'exit code 1', diff: false });

  it('failed_when false: not failed, the failure message dropped, changed as the plan said', () => {
    const o = overrideOutcome(failedRun, { failed: false });
    expect(o.status).toBe('changed');
    expect(o.data).toEqual({ rc: 1, changed: true, failed: false });
  });

  it('failed_when true on a success: failed with a message saying why', () => {
    const o = overrideOutcome(planOutcome({ actions: [] }, []), { failed: true });
    expect(o.status).toBe('failed');
    expect(o.data.msg).toBe('failed_when condition was true');
  });

  it('changed_when: the status follows it, the original is untouched', () => {
    const ok = planOutcome({ actions: [] }, []);
    expect(overrideOutcome(ok, { changed: true }).status).toBe('changed');
    expect(overrideOutcome(failedRun, { changed: false, failed: false }).status).toBe('ok');
    expect(ok.data.changed).toBe(false);
  });
});

describe('loopOutcome', () => {
  const ok = planOutcome({ actions: [] }, ['a']);
  const changed = planOutcome({ actions: [write] }, ['b'], { interpreted: {}, diff: false });
  const whenFalse = skippedOutcome('conditional result was false');

  it('one result per item with its loop variable; changed when any item changed', () => {
    const o = loopOutcome(
      [
        { outcome: ok, item: 'x', ran: true },
        { outcome: changed, item: { n: 2 }, ran: true },
        { outcome: whenFalse, item: 'z', ran: false },
      ],
      'pkg',
    );
    expect(o.status).toBe('changed');
    expect(o.commands).toEqual(['a', 'b']);
    expect(o.data.results).toEqual([
      { changed: false, failed: false, pkg: 'x' },
      { changed: true, failed: false, pkg: { n: 2 } },
      { changed: false, skipped: true, skip_reason: 'conditional result was false', pkg: 'z' },
    ]);
    expect(o.data.skipped).toBeUndefined();
  });

  it('skipped only when every item was skipped', () => {
    const o = loopOutcome([{ outcome: whenFalse, item: 1, ran: false }], 'item');
    expect(o.status).toBe('skipped');
    expect(o.data).toMatchObject({ skipped: true, changed: false, failed: false });
    // A module's own skip (check mode) on every item skips the task, as ansible-core does.
    const planSkip = planOutcome({ actions: [], skipped: 'check mode' }, []);
    expect(loopOutcome([{ outcome: planSkip, item: 1, ran: true }], 'item').status).toBe('skipped');
    expect(loopOutcome([{ outcome: planSkip, item: 1, ran: true }, { outcome: ok, item: 2, ran: true }], 'item').status).toBe('ok');
  });

  it('failed when an item failed, with Ansible message', () => {
    const o = loopOutcome([{ outcome: ok, item: 1, ran: true }, { outcome: failedOutcome('boom'), item: 2, ran: true }], 'item');
    expect(o.status).toBe('failed');
    expect(o.data.msg).toBe('One or more items failed');
  });

  it('no items: skipped', () => {
    expect(loopOutcome([], 'item').status).toBe('skipped');
  });
});

describe('errors and retries', () => {
  it('a lost connection is unreachable, with the detail only', () => {
    const o = errorOutcome(new ConnectionError('web01', 'connect ECONNREFUSED'), 'web01');
    expect(o.status).toBe('unreachable');
    expect(o.data).toEqual({ unreachable: true, msg: 'connect ECONNREFUSED' });
  });

  it('a known error fails with its message; an unknown one says it is internal', () => {
    expect(errorOutcome(new InputError('bad value'), 'web01').data).toMatchObject({ failed: true, msg: 'bad value' });
    const internal = errorOutcome(new TypeError('x is undefined'), 'web01');
    expect(internal.status).toBe('failed');
    expect(internal.data.msg).toMatch(/^internal error: TypeError: x is undefined/);
  });

  it('until gave up: failed, saying after how many attempts, the last result kept', () => {
    const o = retriesExhausted(planOutcome({ actions: [] }, [], { interpreted: { rc: 3 }, diff: false }), 4);
    expect(o.status).toBe('failed');
    // 4 retries = 5 attempts; ansible-core registers attempts = retries when it gives up.
    expect(o.data).toMatchObject({ rc: 3, failed: true, attempts: 4, msg: "'until' condition still false after 5 attempts" });
  });
});
