// debug's `verbosity`: a debug task prints only when the run has at least that many -v; otherwise it
// is skipped (counted as skipped, registered as skipped), as Ansible's debug action does.

import { describe, expect, it } from 'vitest';
import { toRunOptions, type RunFlags } from '../../../src/cli/run-flags.js';
import { runFixture } from './harness.js';

const flags = (verbose: number): RunFlags => ({ forks: '10', timeout: '15', verbose });

describe('-v reaches the run', () => {
  it.each([0, 1, 3])('-v x%i is the run verbosity', (n) => {
    expect(toRunOptions(flags(n), { retryFile: false }).verbosity).toBe(n);
  });
});

describe('debug verbosity', () => {
  it('at verbosity 0 only the unconditional message shows; the others are skipped', async () => {
    const o = await runFixture('verbosity.yaml', { options: { verbosity: 0 } });
    expect(o.result('always', 'h1')).toMatchObject({ status: 'ok', display: 'shown at any verbosity' });
    for (const task of ['from one', 'from two']) {
      const r = o.result(task, 'h1');
      expect(r.status).toBe('skipped');
      expect(r.display).toBeUndefined();
    }
    expect(o.result('what from one registered', 'h1').display).toBe('skipped: Verbosity threshold not met.');
    expect(o.summary.hosts.h1).toMatchObject({ ok: 2, skipped: 2, changed: 0, failed: 0 });
  });

  it('at verbosity 1 the task asking for 1 shows, the one asking for 2 is still skipped', async () => {
    const o = await runFixture('verbosity.yaml', { options: { verbosity: 1 } });
    expect(o.result('from one', 'h1')).toMatchObject({ status: 'ok', display: 'shown from -v' });
    expect(o.result('from two', 'h1').status).toBe('skipped');
    expect(o.result('what from one registered', 'h1').display).toBe('shown: shown from -v');
    expect(o.summary.hosts.h1).toMatchObject({ ok: 3, skipped: 1 });
  });

  it('at verbosity 2 every task shows', async () => {
    const o = await runFixture('verbosity.yaml', { options: { verbosity: 2 } });
    expect(o.result('from two', 'h1')).toMatchObject({ status: 'ok', display: '"inventory_hostname": "h1"' });
    expect(o.summary.hosts.h1).toMatchObject({ ok: 4, skipped: 0 });
  });
});
