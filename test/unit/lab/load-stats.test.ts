// The chaos suite's arithmetic (test/integration/helpers/load-stats.ts): what counts as an outage and
// as a lost write, on request logs written by hand.

import { describe, expect, it } from 'vitest';
import { between, longestOutage, lostWrites, successRate, summarise, type RequestRecord } from '../../integration/helpers/load-stats.js';

const read = (start: number, ok: boolean): RequestRecord => ({ kind: 'read', start, end: start + 20, ok, status: ok ? 200 : 503 });
const write = (start: number, ok: boolean, token: string): RequestRecord => ({ kind: 'write', start, end: start + 30, ok, status: ok ? 303 : 0, token });

describe('load statistics', () => {
  it('no failure: no outage', () => {
    expect(longestOutage([read(0, true), read(50, true)])).toBe(0);
  });

  it('an outage runs from the first failure to the next success, whatever the order they were logged in', () => {
    const log = [read(300, true), read(100, false), read(0, true), read(150, false), read(200, false), read(1000, false), read(1100, true)];
    expect(longestOutage(log)).toBe(0.2);
  });

  it('failures still going at the end last until the last request ended', () => {
    expect(longestOutage([read(0, true), read(500, false), read(2500, false)])).toBe(2.02);
  });

  it('summarises reads and writes apart, and lists the acknowledged tokens', () => {
    const log = [read(0, true), write(10, true, 't1'), read(20, false), write(30, false, 't2'), write(2000, true, 't3')];
    const s = summarise(log);
    expect(s).toMatchObject({ sent: 5, failed: 2, reads: 2, readsFailed: 1, writes: 3, writesFailed: 1, acknowledged: ['t1', 't3'] });
    expect(s.longestWriteOutage).toBe(1.97);
    expect(s.longestReadOutage).toBe(0.02);
  });

  it('lost writes are the acknowledged tokens the database does not hold', () => {
    expect(lostWrites(['a', 'b', 'c'], new Set(['a', 'c', 'x']))).toEqual(['b']);
  });

  it('selects a time window and rates it', () => {
    const log = [read(0, true), read(100, false), read(200, true), read(300, true)];
    expect(between(log, 100, 300).map((r) => r.start)).toEqual([100, 200]);
    expect(successRate(between(log, 100, 300))).toBe(0.5);
    expect(successRate([])).toBe(1);
  });
});
