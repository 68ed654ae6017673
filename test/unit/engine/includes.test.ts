// Dynamic include_tasks through the real engine: file name, loop and when evaluated per host at run time.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixture, sorted } from './harness.js';

describe('include_tasks (dynamic)', () => {
  for (const check of [false, true]) {
    const mode = check ? ' (--check)' : '';
    it(`renders the file name per host, loops with loop_control and vars, evaluates when once${mode}`, async () => {
      const o = await runFixture('includes/play.yaml', { options: { check } });
      expect(o.statuses('in a')).toEqual(['h1:ok', 'h1:ok']);
      expect(o.statuses('in b')).toEqual(['h2:ok']);
      const items = (host: string) => o.results('in item').filter((r) => r.host === host).map((r) => r.msg);
      expect(items('h1')).toEqual(['0:x!', '1:y!']);
      expect(items('h2')).toEqual(['0:x!', '1:y!']);
      expect(sorted(o.statuses('include skipped on h2'))).toEqual(['h1:ok', 'h2:skipped']);
      // Ansible's rule: the include's when selects the include, it is not added to the included tasks.
      expect(sorted(o.statuses('still runs after done is set'))).toEqual(['h1:ok', 'h2:ok']);
      // Includes are not counted, skipped ones are: h1 ran 6 tasks; h2 4 and one skipped include.
      expect(o.summary.hosts.h1).toMatchObject({ ok: 6, skipped: 0, failed: 0 });
      expect(o.summary.hosts.h2).toMatchObject({ ok: 5, skipped: 1, failed: 0 });
      expect(o.summary.exitCode).toBe(0);
    });
  }

  it('a templated name that names no file fails the include on that host only, saying where', async () => {
    const o = await runFixture('includes/missing.yaml');
    expect(sorted(o.statuses('include by name'))).toEqual(['h1:ok', 'h2:failed']);
    const msg = o.result('include by name', 'h2').msg ?? '';
    expect(msg).toContain(`${join('includes', 'missing.yaml')}:6:22: task file 'nothing.yaml' not found`);
    expect(o.statuses('after')).toEqual(['h1:ok']);
    expect(o.summary.exitCode).toBe(2);
  });
});
