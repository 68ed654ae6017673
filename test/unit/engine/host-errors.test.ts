// A failure that names its host (sudo refused, a lock held, a shell that would not start) is printed
// beside the host once: `fatal: [h2]: FAILED! => become (sudo) ...`, not `=> h2: become (sudo) ...`.
// A delegate's failure keeps the delegate's name, and the error itself (for the top-level catch) keeps it.

import { beforeAll, describe, expect, it } from 'vitest';
import { HostTaskError } from '../../../src/core/errors.js';
import { errorOutcome } from '../../../src/engine/task-result.js';
import { createReporter } from '../../../src/report/index.js';
import { BecomeError } from '../../../src/transport/become.js';
import { RunLockedError } from '../../../src/transport/run-lock.js';
import { collector } from '../report/events-fixture.js';
import { runFixture, type Outcome } from './harness.js';

const BECOME_FAILED = "become (sudo) to user 'no-such-user-provision' failed: ";

let o: Outcome;
beforeAll(async () => {
  o = await runFixture('host-errors.yaml');
});

describe('a host error on its own host', () => {
  it('leaves the host out of the message, which the report prints beside it', () => {
    const msg = o.result('become a user that does not exist', 'h2').msg ?? '';
    expect(msg.startsWith(BECOME_FAILED)).toBe(true);
    expect(msg).not.toMatch(/\bh2\b/);
  });

  it('keeps the name of a delegate, which is another host', () => {
    expect(o.result('the same on a delegate', 'h2').msg?.startsWith(`h3: ${BECOME_FAILED}`)).toBe(true);
  });

  it('prints the host once in the plain output', async () => {
    const out = await collector();
    const err = await collector();
    const reporter = await createReporter({ mode: 'plain', verbose: 0, diff: false, color: false, out: out.stream, err: err.stream });
    for (const e of o.events) reporter.handle(e);
    await reporter.finish();
    const fatal = out.text().split('\n').filter((l) => l.startsWith('fatal: '));
    expect(fatal).toHaveLength(2);
    expect(fatal[0]?.startsWith(`fatal: [h2]: FAILED! => ${BECOME_FAILED}`)).toBe(true);
    expect(fatal[1]?.startsWith(`fatal: [h2]: FAILED! => h3: ${BECOME_FAILED}`)).toBe(true);
  });
});

describe('host errors out of a host context', () => {
  it('name their host in the message (what the top-level catch prints)', () => {
    expect(new BecomeError('lb02', 'root', 'a password is required').message).toBe("lb02: become (sudo) to user 'root' failed: a password is required");
    expect(new RunLockedError('lb02', 'run 7 by ci', 0).message).toMatch(/^lb02: another run holds the lock of this host: run 7 by ci\. Wait for it/);
  });

  it('errorOutcome drops the name only for the host it reports on', () => {
    const err = new HostTaskError('web01', 'could not start a shell: bash: not found');
    expect(errorOutcome(err, 'web01').data.msg).toBe('could not start a shell: bash: not found');
    expect(errorOutcome(err, 'web02').data.msg).toBe('web01: could not start a shell: bash: not found');
  });
});
