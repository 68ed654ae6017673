// Planning ahead (--probe-window) gives exactly the results of planning one task at a time: the
// same fixture, where every task depends on what the one before did, run both ways from the same
// start (converge, the rerun, and --check --diff), every result compared.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../../src/engine/options.js';
import { makeTmp, removeTmp, runFixture, type ResultEvent } from './harness.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTmp));

/** converge, rerun, and --check --diff from an empty directory, with this window. */
async function runs(probeWindow: number): Promise<Record<'converge' | 'rerun' | 'check', ResultEvent[]>> {
  const [tmp, checkTmp] = [makeTmp(), makeTmp()];
  dirs.push(tmp, checkTmp);
  const run = async (dir: string, options: Partial<RunOptions> = {}) => comparable((await runFixture('plan-ahead.yaml', { tmp: dir, options: { probeWindow, ...options } })).results(), dir);
  return { converge: await run(tmp), rerun: await run(tmp), check: await run(checkTmp, { check: true, diff: true }) };
}

/** A result as both ways must give it: no timing, no round trips, the temp dir's name replaced. */
function comparable(results: ResultEvent[], dir: string): ResultEvent[] {
  return results.map(({ duration_ms: _d, round_trips: _r, ...rest }) => JSON.parse(JSON.stringify(rest).replaceAll(dir, 'TMP')) as ResultEvent);
}

let alone: Awaited<ReturnType<typeof runs>>;
let ahead: Awaited<ReturnType<typeof runs>>;
beforeAll(async () => {
  alone = await runs(1);
  ahead = await runs(8);
});

const statuses = (results: ResultEvent[]) => results.map((r) => `${r.task}${r.item === undefined ? '' : ` [${r.item}]`}: ${r.status}`);

describe('planning ahead', () => {
  it('converges as the tasks say, each seeing what the one before did', () => {
    expect(statuses(ahead.converge)).toEqual([
      'write a: changed',
      'stat a: ok',
      'a exists: ok',
      'add two to a: changed',
      'add two to a again: ok',
      'a holds both lines: ok',
      'directory b: changed',
      'directory b again: ok',
      'choose a number: ok',
      'write the number: changed',
      'make d unless it exists: changed',
      'd is made once: ok',
      'a failure that is ignored: failed',
      'a block in b: changed',
      'the block is there: ok',
      // The third item sees the line the first one added.
      'lines in e [x]: changed',
      'lines in e [y]: changed',
      'lines in e [x]: ok',
      'lines in e: changed',
      'stat the files [a.txt]: ok',
      'stat the files [b]: ok',
      'stat the files: ok',
      'choose a word: ok',
      'the first word: ok',
      'stat the word file: ok',
      'choose another word: ok',
      'write the word: changed',
      'the word written: ok',
      'the second word: ok',
      'directory f: changed',
      'g in f: changed',
      'g again, after the block: ok',
    ]);
    expect(ahead.converge.find((r) => r.task === 'a exists')?.msg).toBe('a exists: true');
    // Planned ahead before the second set_fact, the template's plan read the first word: it is planned again.
    expect(ahead.converge.find((r) => r.task === 'the word written')?.stdout).toBe('second');
    expect(ahead.converge.find((r) => r.task === 'the second word')?.display).toBe('"word": "second"');
  });

  it('gives the results of one-by-one planning: converge', () => {
    expect(ahead.converge).toEqual(alone.converge);
  });

  it('gives the results of one-by-one planning: the rerun', () => {
    // The fixture rewrites a.txt and c.txt twice each: the first writes change them back every time.
    expect(statuses(ahead.rerun).filter((s) => s.endsWith('changed'))).toEqual([
      'write a: changed',
      'add two to a: changed',
      'write the number: changed',
      'a block in b: changed',
    ]);
    expect(ahead.rerun).toEqual(alone.rerun);
  });

  it('gives the results of one-by-one planning: --check --diff', () => {
    expect(ahead.check.filter((r) => r.diff !== undefined).length).toBeGreaterThan(3);
    expect(ahead.check).toEqual(alone.check);
  });
});
