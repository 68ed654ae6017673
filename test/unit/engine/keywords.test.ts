// Task keywords end to end: ignore_errors, failed_when, changed_when, until/retries/delay,
// register + when, loop with a per-item when, loop_control.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture, type Outcome } from './harness.js';

let tmp: string;
let o: Outcome;

beforeAll(async () => {
  tmp = makeTmp();
  o = await runFixture('keywords.yaml', { tmp });
});
afterAll(() => removeTmp(tmp));

describe('task keywords', () => {
  it('ignore_errors: the failure is reported as ignored and the host goes on', () => {
    const r = o.result('ignored failure', 'h1');
    expect(r.status).toBe('failed');
    expect(r.ignored).toBe(true);
    expect(o.summary.hosts.h1?.ignored).toBe(2);
  });

  it('failed_when and changed_when decide the status from the registered result', () => {
    expect(o.result('failed_when on output', 'h1').status).toBe('ok');
    expect(o.result('changed_when true on a no-op', 'h1').status).toBe('changed');
    const r = o.result('failed_when true fails', 'h1');
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/failed_when/);
  });

  it('until/retries retries until the condition holds, and fails when it never does', () => {
    expect(o.result('until with retries', 'h1').status).toBe('changed');
    expect(readFileSync(join(tmp, 'count'), 'utf8')).toBe('x\nx\nx\n');
    const never = o.result('until that never holds', 'h1');
    expect(never.status).toBe('failed');
    expect(never.ignored).toBe(true);
    // retries: 2 = 3 attempts, as ansible-core; `attempts` registered as the number of retries.
    expect(never.msg).toMatch(/3 attempts/);
  });

  it('when sees the registered result', () => {
    expect(o.result('when on the registered result', 'h1')).toMatchObject({ status: 'ok', msg: 'it said yes' });
    expect(o.result('when false on the registered result', 'h1').status).toBe('skipped');
  });

  it('loop with a per-item when: one result per item, then one for the task', () => {
    const items = o.results('loop with a when per item').filter((r) => r.item !== undefined);
    expect(items.map((r) => `${r.item}:${r.status}`)).toEqual(['1:ok', '2:skipped', '3:ok']);
    expect(items[0]?.msg).toBe('item 1');
    expect(o.result('loop with a when per item', 'h1').status).toBe('ok');
    expect(o.result('loop results registered', 'h1').status).toBe('ok');
  });

  it('loop_control: loop_var, index_var and label', () => {
    const items = o.results('loop_var and index_var').filter((r) => r.item !== undefined);
    expect(items.map((r) => r.msg)).toEqual(['a=0', 'b=1']);
    expect(items.map((r) => r.item)).toEqual(['pkg a', 'pkg b']);
  });

  it('the recap adds it all up, and the failed task fails the run', () => {
    // ok: 2 ignored failures, failed_when, when, loop, assert, loop_var; changed: changed_when, until, command
    expect(o.summary.hosts.h1).toMatchObject({ ok: 7, changed: 3, skipped: 1, failed: 1, unreachable: 0, ignored: 2 });
    expect(o.summary.exitCode).toBe(2);
  });
});

describe('retries and delay as templates', () => {
  it('are rendered per host; a value that is not a whole number fails the task, naming the keyword', async () => {
    const t = await runFixture('until-templated.yaml');
    expect(t.result('templated retries and delay', 'h1').msg).toMatch(/after 5 attempts/);
    expect(t.result('retries that do not render to a number', 'h1').msg).toMatch(/retries must render to a whole number, got 'soon'/);
  });
});
