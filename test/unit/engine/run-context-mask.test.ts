// RunContext.emit, the one place output is masked: a file diff whose sides differ only in secrets
// reads alike once masked, and is marked so that --diff says the file changes instead of nothing.

import { describe, expect, it } from 'vitest';
import { MASK } from '../../../src/core/mask.js';
import { EventBus, type RunEvent } from '../../../src/engine/events.js';
import { defaultRunOptions } from '../../../src/engine/options.js';
import { RunContext } from '../../../src/engine/run-context.js';
import { fakeInventory } from '../playbook/fake-inventory.js';

type ResultEvent = Extract<RunEvent, { type: 'result' }>;

function emitDiffs(secrets: string[], diff: { path: string; before: string; after: string }[]): ResultEvent {
  const seen: RunEvent[] = [];
  const bus = new EventBus();
  bus.on((e) => seen.push(e));
  const rc = new RunContext(fakeInventory({ web: ['web01'] }), defaultRunOptions, bus, '.');
  rc.addSecrets(secrets);
  rc.emit({ type: 'result', host: 'web01', task: 'settings', status: 'changed', duration_ms: 1, round_trips: 1, handler: false, check: false, diff });
  const [event] = seen;
  if (event?.type !== 'result') throw new Error('no result event');
  return event;
}

describe('RunContext.emit and file diffs', () => {
  it('marks a diff whose only change is a secret (old and new both masked), not one with a visible change', () => {
    const event = emitDiffs(['old-pw-1', 'new-pw-2'], [
      { path: '/etc/app.ini', before: 'user = app\npassword = old-pw-1\n', after: 'user = app\npassword = new-pw-2\n' },
      { path: '/etc/other.ini', before: 'port = 1\npassword = old-pw-1\n', after: 'port = 2\npassword = new-pw-2\n' },
    ]);
    expect(event.diff).toEqual([
      { path: '/etc/app.ini', before: `user = app\npassword = ${MASK}\n`, after: `user = app\npassword = ${MASK}\n`, only_secrets_differ: true },
      { path: '/etc/other.ini', before: `port = 1\npassword = ${MASK}\n`, after: `port = 2\npassword = ${MASK}\n` },
    ]);
  });

  it('an unchanged diff, or a run without secrets, is not marked', () => {
    expect(emitDiffs(['pw-3'], [{ path: '/a', before: 'x\n', after: 'x\n' }]).diff?.[0]?.only_secrets_differ).toBeUndefined();
    expect(emitDiffs([], [{ path: '/a', before: 'x\n', after: 'y\n' }]).diff?.[0]?.only_secrets_differ).toBeUndefined();
  });
});
