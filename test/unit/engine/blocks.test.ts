// block/rescue/always through the real engine over local connections, in a real run and in --check
// (fail fails in --check too, so rescue and always behave the same).

import { describe, expect, it } from 'vitest';
import { runFixture, sorted } from './harness.js';

describe('block/rescue/always', () => {
  for (const check of [false, true]) {
    const mode = check ? ' (--check)' : '';
    it(`a host that fails in the block runs rescue, seeing the failure, and is not failed; always runs everywhere${mode}`, async () => {
      const o = await runFixture('blocks.yaml', { options: { check } });
      expect(sorted(o.statuses('fails on h2'))).toEqual(['h1:skipped', 'h2:failed']);
      expect(o.statuses('after the failure, in the block')).toEqual(['h1:ok']);
      expect(o.statuses('rescue sees the failure')).toEqual(['h2:ok']);
      expect(o.result('rescue sees the failure', 'h2').msg).toBe('fails on h2: boom on h2');
      expect(sorted(o.statuses('always runs'))).toEqual(['h1:ok', 'h2:ok']);
      expect(sorted(o.statuses('after the block'))).toEqual(['h1:ok', 'h2:ok']);
      // As Ansible's recap: the rescued failure is counted as rescued, not failed.
      expect(o.summary.hosts.h2).toMatchObject({ failed: 0, rescued: 1, ok: 3 });
      expect(o.summary.exitCode).toBe(0);
    });

    it(`blocks nest: the inner always runs, the outer rescue takes the failure; when and ignore_errors apply to the tasks${mode}`, async () => {
      const o = await runFixture('blocks.yaml', { options: { check } });
      expect(o.statuses('inner fails')).toEqual(['h1:failed']);
      expect(o.result('inner always', 'h1').msg).toBe('block var');
      expect(o.statuses('not reached')).toEqual([]);
      expect(o.statuses('outer rescue')).toEqual(['h1:ok']);
      expect(o.statuses('in the skipped block')).toEqual(['h1:skipped']);
      expect(o.result('ignored failure', 'h1').ignored).toBe(true);
      expect(o.statuses('after the ignored failure')).toEqual(['h1:ok']);
      expect(o.summary.hosts.h1).toMatchObject({ failed: 0, rescued: 1, ignored: 1 });
    });
  }

  it('a rescue that fails leaves the host failed; always still runs, nothing after the block does', async () => {
    const o = await runFixture('blocks-fail.yaml');
    expect(o.statuses('first failure')).toEqual(['h3:failed']);
    expect(o.statuses('rescue fails too')).toEqual(['h3:failed']);
    expect(o.statuses('always after a failed rescue')).toEqual(['h3:ok']);
    expect(o.statuses('not after a failed rescue')).toEqual([]);
    expect(o.summary.hosts.h3).toMatchObject({ failed: 1, rescued: 1, ok: 1 });
    expect(o.summary.exitCode).toBe(2);
  });
});
