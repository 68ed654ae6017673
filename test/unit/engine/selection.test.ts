// Which tasks and hosts a run selects, end to end: --tags/--skip-tags (always, never, tagged,
// untagged), --start-at-task, --limit.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import type { RunOptions } from '../../../src/engine/options.js';
import { runFixture, type Outcome } from './harness.js';

/** Task names that ran (any status but skipped) on a host, in order. */
function ran(o: Outcome, host = 'h1'): string[] {
  return o.results().filter((r) => r.host === host && r.item === undefined).map((r) => r.task);
}

async function tasksRun(options: Partial<RunOptions>, host = 'h1'): Promise<string[]> {
  return ran(await runFixture('tags.yaml', { options }), host);
}

describe('--tags and --skip-tags', () => {
  it.each([
    [{}, ['t-a', 't-b', 't-always', 't-untagged', 's1', 's2', 's3']],
    [{ tags: ['a'] }, ['t-a', 't-always']],
    [{ tags: ['a', 'b'] }, ['t-a', 't-b', 't-always']],
    [{ tags: ['debugonly'] }, ['t-always', 't-never']],
    [{ tags: ['never'] }, ['t-always', 't-never']],
    [{ tags: ['tagged'] }, ['t-a', 't-b', 't-always']],
    [{ tags: ['untagged'] }, ['t-always', 't-untagged', 's1', 's2', 's3']],
    [{ tags: ['all'] }, ['t-a', 't-b', 't-always', 't-untagged', 's1', 's2', 's3']],
    [{ skipTags: ['a'] }, ['t-b', 't-always', 't-untagged', 's1', 's2', 's3']],
    [{ skipTags: ['always'] }, ['t-a', 't-b', 't-untagged', 's1', 's2', 's3']],
    [{ skipTags: ['tagged'] }, ['t-untagged', 's1', 's2', 's3']],
    [{ skipTags: ['untagged'] }, ['t-a', 't-b', 't-always']],
    [{ skipTags: ['all'] }, ['t-always']],
    [{ tags: ['a', 'untagged'], skipTags: ['always'] }, ['t-a', 't-untagged', 's1', 's2', 's3']],
  ] as [Partial<RunOptions>, string[]][])('%j runs %j', async (options, expected) => {
    expect(await tasksRun(options)).toEqual(expected);
  });
});

describe('--start-at-task', () => {
  it('skips the tasks before it', async () => {
    expect(await tasksRun({ startAtTask: 't-always' })).toEqual(['t-always', 't-untagged', 's1', 's2', 's3']);
  });

  it('skips whole plays before it, and every serial batch starts there', async () => {
    const o = await runFixture('tags.yaml', { options: { startAtTask: 's2' } });
    expect(ran(o, 'h1')).toEqual(['s2', 's3']);
    expect(ran(o, 'h2')).toEqual(['s2', 's3']);
    expect(ran(o, 'h3')).toEqual([]);
  });

  it('with strategy: free every host starts there', async () => {
    const o = await runFixture('free.yaml', { options: { startAtTask: 'second' } });
    for (const h of ['h1', 'h2', 'h3', 'h4']) expect(ran(o, h)).toEqual(['second', 'third']);
  });

  it('a task name that does not exist is an input error, before any host is touched', async () => {
    await expect(runFixture('tags.yaml', { options: { startAtTask: 'no such task' } })).rejects.toBeInstanceOf(InputError);
  });
});

describe('--limit', () => {
  it('restricts every play to the hosts of the pattern', async () => {
    const o = await runFixture('tags.yaml', { options: { limit: 'h2:h3' } });
    const hosts = [...new Set(o.results().map((r) => r.host))].sort();
    expect(hosts).toEqual(['h2', 'h3']);
    expect(ran(o, 'h3')).toEqual(['t-a', 't-b', 't-always', 't-untagged']);
    expect(ran(o, 'h2')).toEqual(['t-a', 't-b', 't-always', 't-untagged', 's1', 's2', 's3']);
    expect(Object.keys(o.summary.hosts).sort()).toEqual(['h2', 'h3']);
    const start = o.events.find((e) => e.type === 'run_start');
    expect(start).toMatchObject({ hosts: ['h2', 'h3'] });
  });

  it('a pattern with exclusion', async () => {
    const o = await runFixture('tags.yaml', { options: { limit: 'all:!web' } });
    expect([...new Set(o.results().map((r) => r.host))].sort()).toEqual(['h3', 'h4']);
    // The second play (hosts: web) has no host left: a warning, no results.
    expect(o.warnings().some((w) => w.includes('second play'))).toBe(true);
  });
});
