// --check: the same plan, nothing executed; --diff shows before/after.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture } from './harness.js';

let tmp: string;
beforeEach(() => {
  tmp = makeTmp();
  writeFileSync(join(tmp, 'existing.txt'), 'first\n');
});
afterEach(() => removeTmp(tmp));

describe('check mode', () => {
  it('reports the changes and writes nothing', async () => {
    const o = await runFixture('check.yaml', { tmp, options: { check: true } });
    expect(o.statuses('write a file')).toEqual(['h1:changed']);
    expect(o.statuses('add a line')).toEqual(['h1:changed']);
    expect(o.statuses('make a directory')).toEqual(['h1:changed']);
    expect(o.statuses('a command is skipped in check mode')).toEqual(['h1:skipped']);
    expect(o.result('check_mode false runs anyway', 'h1')).toMatchObject({ status: 'changed', stdout: 'ran' });
    expect(o.results().every((r) => r.check)).toBe(true);
    expect(existsSync(join(tmp, 'out.txt'))).toBe(false);
    expect(existsSync(join(tmp, 'sub'))).toBe(false);
    expect(readFileSync(join(tmp, 'existing.txt'), 'utf8')).toBe('first\n');
    // No temp file left beside the targets either.
    expect(readdirSync(tmp)).toEqual(['existing.txt']);
    expect(o.results().some((r) => r.diff !== undefined)).toBe(false);
    expect(o.events[0]).toMatchObject({ type: 'run_start', check: true, diff: false });
    expect(o.summary.exitCode).toBe(0);
  });

  it('with --diff each file change carries before and after', async () => {
    const o = await runFixture('check.yaml', { tmp, options: { check: true, diff: true } });
    const copy = o.result('write a file', 'h1');
    expect(copy.diff).toHaveLength(1);
    expect(copy.diff?.[0]).toMatchObject({ before: '', after: 'hello\n' });
    const line = o.result('add a line', 'h1');
    expect(line.diff?.[0]).toMatchObject({ before: 'first\n', after: 'first\nadded\n' });
    expect(existsSync(join(tmp, 'out.txt'))).toBe(false);
  });

  it('predicts the real run, and a second check after it is all ok', async () => {
    const check = await runFixture('check.yaml', { tmp, options: { check: true } });
    const real = await runFixture('check.yaml', { tmp });
    const fileTasks = ['write a file', 'add a line', 'make a directory'];
    for (const t of fileTasks) expect(real.statuses(t)).toEqual(check.statuses(t));
    expect(readFileSync(join(tmp, 'out.txt'), 'utf8')).toBe('hello\n');
    expect(statSync(join(tmp, 'out.txt')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(tmp, 'existing.txt'), 'utf8')).toBe('first\nadded\n');
    expect(statSync(join(tmp, 'sub')).isDirectory()).toBe(true);
    // check_mode: true on a task: reported, never done, even in a real run.
    expect(real.statuses('check_mode true only checks')).toEqual(['h1:changed']);
    expect(existsSync(join(tmp, 'forced.txt'))).toBe(false);
    const again = await runFixture('check.yaml', { tmp, options: { check: true, diff: true } });
    for (const t of fileTasks) expect(again.statuses(t)).toEqual(['h1:ok']);
    for (const t of fileTasks) expect(again.result(t, 'h1').diff).toBeUndefined();
  });
});
