// round_trips in result events: what a task costs on an open connection.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture, type Outcome } from './harness.js';

let tmp: string;
let o: Outcome;
beforeAll(async () => {
  tmp = makeTmp();
  writeFileSync(join(tmp, 'present.txt'), 'same\n');
  o = await runFixture('round-trips.yaml', { tmp });
});
afterAll(() => removeTmp(tmp));

describe('round trips', () => {
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
