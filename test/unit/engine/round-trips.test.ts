// round_trips in result events: what a task costs on an open connection, planned one by one
// (--probe-window 1) and planned ahead with the next tasks (the default window), where the window's
// shared round trips count on the task that opened it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture, type Outcome } from './harness.js';

let tmp: string;
let o: Outcome;
let windowTmp: string;
let windowed: Outcome;
beforeAll(async () => {
  tmp = makeTmp();
  writeFileSync(join(tmp, 'present.txt'), 'same\n');
  o = await runFixture('round-trips.yaml', { tmp, options: { probeWindow: 1 } });
  windowTmp = makeTmp();
  writeFileSync(join(windowTmp, 'present.txt'), 'same\n');
  windowed = await runFixture('round-trips.yaml', { tmp: windowTmp });
});
afterAll(() => {
  removeTmp(tmp);
  removeTmp(windowTmp);
});

describe('round trips, one task at a time', () => {
  it.each([
    ['Gathering Facts', 'ok', 1],
    ['stat a file', 'ok', 1],
    ['copy unchanged', 'ok', 1],
    ['lineinfile unchanged', 'ok', 1],
    ['directory unchanged', 'ok', 1],
    ['copy changed', 'changed', 2],
    ['debug', 'ok', 0],
  ] as const)('%s: %s in %i', (task, status, trips) => {
    expect(o.result(task, 'h1')).toMatchObject({ status, round_trips: trips });
  });

  it('a loop counts per item, and the task total', () => {
    const items = o.results('loop of stats').filter((r) => r.item !== undefined);
    expect(items.map((r) => r.round_trips)).toEqual([1, 1]);
    expect(o.result('loop of stats', 'h1').round_trips).toBe(2);
  });
});

describe('round trips, planning ahead', () => {
  it.each([
    ['Gathering Facts', 'ok', 1],
    // Opens the window (itself and the plain tasks after it): their probes in one round trip.
    ['stat a file', 'ok', 1],
    ['copy unchanged', 'ok', 0],
    // Its plan was ready; only its upload goes to the host.
    ['copy changed', 'changed', 1],
    // The host changed: planned again, opening a new window with the tasks after it.
    ['lineinfile unchanged', 'ok', 1],
    ['directory unchanged', 'ok', 0],
    ['debug', 'ok', 0],
  ] as const)('%s: %s in %i', (task, status, trips) => {
    expect(windowed.result(task, 'h1')).toMatchObject({ status, round_trips: trips });
  });

  it("a loop's items are planned together: the first item's round trip serves both", () => {
    const items = windowed.results('loop after a wait').filter((r) => r.item !== undefined);
    expect(items.map((r) => r.round_trips)).toEqual([1, 0]);
    expect(windowed.result('loop after a wait', 'h1').round_trips).toBe(1);
  });

  it("a loop's items join the window of the tasks before it: lineinfile's round trip served them", () => {
    const items = windowed.results('loop of stats').filter((r) => r.item !== undefined);
    expect(items.map((r) => r.round_trips)).toEqual([0, 0]);
    expect(items.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(windowed.result('loop of stats', 'h1').round_trips).toBe(0);
  });
});
