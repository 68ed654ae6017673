// The one-task fact reader over a real local shell: probes run in the shell's probe mode (a fork of
// the persistent shell, not a fresh bash -c), several in one round trip, each once per task.

import { afterAll, describe, expect, it } from 'vitest';
import { TransportFactReader } from '../../../src/engine/fact-reader.js';
import type { Probe } from '../../../src/facts/types.js';
import { LocalTransport } from '../../../src/transport/local.js';

const transport = new LocalTransport('local');
afterAll(() => transport.close());

const mode: Probe<string> = { key: 'mode', command: '[ "$$" = "$BASHPID" ] && echo fresh || echo fork', parse: (r) => r.stdout.trim() };
const echo = (word: string): Probe<string> => ({ key: `echo:${word}`, command: `echo ${word}`, parse: (r) => r.stdout.trim() });

describe('TransportFactReader', () => {
  it('runs probes in a fork of the shell, where a command sent as an action gets a fresh bash', async () => {
    const tally = { roundTrips: 0 };
    const reader = new TransportFactReader(async () => transport, { become: false, tally });
    expect(await reader.get(mode)).toBe('fork');
    expect((await transport.exec(mode.command)).stdout.trim()).toBe('fresh');
    expect(tally.roundTrips).toBe(1);
  });

  it('sends several probes in one round trip and each probe once', async () => {
    const tally = { roundTrips: 0 };
    const reader = new TransportFactReader(async () => transport, { become: false, tally });
    expect(await reader.getAll([echo('a'), echo('b'), echo('a')] as const)).toEqual(['a', 'b', 'a']);
    expect(await reader.get(echo('b'))).toBe('b');
    expect(tally.roundTrips).toBe(1);
  });
});
