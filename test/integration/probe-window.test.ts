// Batch probing changes no result (issue 11): the modules fixture on a real host, planned one task
// at a time (--probe-window 1) and with the default window, from the same clean state, as --check
// --diff, as a converge and as the no-op rerun; every result compared. The window must also make
// the no-op rerun cost fewer round trips.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, taskResults, type CliRun, type ResultEvent } from './helpers/cli.js';
import { describeLab, labInventory } from './helpers/lab.js';

const target = 'web02';
const suffix = randomBytes(3).toString('hex');
const scratch = `/tmp/provision-it-${suffix}`;
const vars = ['-e', `target=${target} scratch=${scratch} suffix=${suffix} swappiness=17`];
const common = ['-i', labInventory, ...vars, '--json', '--no-retry-file', '--no-history', '--lock-timeout', '300'];
const run = (window: number, ...extra: string[]) => provision(['run', 'test/fixtures/integration/modules.yaml', ...common, '--probe-window', String(window), ...extra]);
const cleanup = () => provision(['run', 'test/fixtures/integration/cleanup.yaml', ...common]);

type Way = Record<'check' | 'converge' | 'rerun', CliRun>;

/** What a result must be whichever way it was planned: everything but its timing and round trips. */
function comparable(r: CliRun): Omit<ResultEvent, 'duration_ms' | 'round_trips'>[] {
  return taskResults(r, target).map(({ duration_ms: _d, round_trips: _r, ...rest }) => rest);
}
const roundTrips = (r: CliRun) => taskResults(r, target).reduce((sum, e) => sum + e.round_trips, 0);

describeLab('batch probing on a real host', () => {
  let alone: Way;
  let ahead: Way;
  beforeAll(() => {
    try {
      expect(cleanup().code).toBe(0);
      const checkAlone = run(1, '--check', '--diff');
      const checkAhead = run(8, '--check', '--diff');
      alone = { check: checkAlone, converge: run(1), rerun: run(1) };
      expect(cleanup().code).toBe(0);
      ahead = { check: checkAhead, converge: run(8), rerun: run(8) };
    } finally {
      const cleaned = cleanup();
      expect(cleaned.code, cleaned.stderr).toBe(0);
    }
  });
  afterAll(() => {
    // beforeAll cleaned up already; again in case it stopped half-way.
    cleanup();
  });

  describe.each(['check', 'converge', 'rerun'] as const)('%s', (step) => {
    it('runs without failing, both ways', () => {
      for (const r of [alone[step], ahead[step]]) expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
    });

    it('gives every result one-by-one planning gives', () => {
      expect(comparable(alone[step]).length).toBeGreaterThan(15);
      expect(comparable(ahead[step])).toEqual(comparable(alone[step]));
    });
  });

  it('converges, then changes nothing', () => {
    expect(taskResults(ahead.converge, target).filter((r) => r.status === 'changed').length).toBeGreaterThan(10);
    expect(taskResults(ahead.rerun, target).filter((r) => r.status === 'changed')).toEqual([]);
  });

  it('makes the no-op rerun in fewer round trips', () => {
    expect(roundTrips(ahead.rerun)).toBeLessThan(roundTrips(alone.rerun));
  });
});
