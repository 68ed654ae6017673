// loop_control: pause waits between items (not before the first), in --check too, as Ansible does.

import { describe, expect, it } from 'vitest';
import { runFixture } from './harness.js';

describe('loop_control', () => {
  for (const check of [false, true]) {
    it(`pause waits between items${check ? ' in --check' : ''}; loop_var, index_var and label apply`, async () => {
      const o = await runFixture('loop-control.yaml', { options: { check } });
      const items = o.results('paused loop').filter((r) => r.item !== undefined);
      expect(items.map((r) => `${r.item} ${r.msg}`)).toEqual(['n=x x/0', 'n=y y/1', 'n=z z/2']);
      // Two pauses of 0.15 s (between x and y, and between y and z) in the task's time; none in an item's.
      const task = o.result('paused loop', 'h1');
      expect(task.duration_ms).toBeGreaterThanOrEqual(300);
      expect(task.duration_ms).toBeLessThan(1500);
      for (const item of items) expect(item.duration_ms).toBeLessThan(150);
      expect(o.summary.exitCode).toBe(0);
    });
  }
});
