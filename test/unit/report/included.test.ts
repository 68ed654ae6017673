// include_tasks results in the human output read as in Ansible (`included: FILE for HOST`), from the
// events of a real run through the engine; --json keeps the result event as it was.

import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { createReporter } from '../../../src/report/index.js';
import { runFixture, type Outcome } from '../engine/harness.js';
import { collector } from './events-fixture.js';

async function render(mode: 'plain' | 'json', events: RunEvent[], verbose = 0): Promise<string[]> {
  const out = await collector();
  const err = await collector();
  const reporter = await createReporter({ mode, verbose, diff: false, color: false, out: out.stream, err: err.stream });
  for (const e of events) reporter.handle(e);
  await reporter.finish();
  return out.text().split('\n');
}

let run: Outcome;
beforeAll(async () => {
  run = await runFixture('includes/play.yaml');
});

describe('include_tasks in the plain output', () => {
  it('prints included: FILE for HOST instead of ok', async () => {
    const lines = await render('plain', run.events);
    expect(lines).toContain('included: a.yaml for h1');
    expect(lines).toContain('included: b.yaml for h2');
    expect(lines).toContain('included: item.yaml, item.yaml for h1');
    expect(lines).toContain('skipping: [h2]');
    // The included tasks themselves still report ok/changed as before.
    expect(lines.filter((l) => /^ok: \[h[12]\]$/.test(l)).length).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('included: ') && l.includes('ok: ['))).toBe(false);
  });

  it('does not repeat the message as a detail with -v', async () => {
    const lines = await render('plain', run.events, 1);
    expect(lines).toContain('included: a.yaml for h1');
    expect(lines.some((l) => l.includes('msg: included:'))).toBe(false);
  });

  it('leaves --json as the engine emits it: status ok, msg included: FILE', async () => {
    const lines = await render('json', run.events);
    const include = lines.filter((l) => l !== '').map((l) => JSON.parse(l) as RunEvent).find((e) => e.type === 'result' && e.task === 'per-host file' && e.host === 'h1');
    expect(include).toMatchObject({ status: 'ok', msg: 'included: a.yaml' });
    expect(Object.keys(include ?? {}).sort()).toEqual(['check', 'duration_ms', 'handler', 'host', 'msg', 'round_trips', 'status', 'task', 'type']);
  });
});
