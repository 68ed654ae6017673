// The window's shared prober over a real local shell: probes asked in the same turn go in one
// execBatch, each probe runs once per window, a failing parser fails only its own requests.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoalescingProber, MAX_WAIT_MS } from '../../../src/engine/coalescing-fact-reader.js';
import type { FactReader, Probe } from '../../../src/facts/types.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { ExecOptions, ExecResult, RoundTripTally } from '../../../src/transport/types.js';

/** A real local shell that also records the command lists of its execBatch calls. */
class RecordingTransport extends LocalTransport {
  readonly batches: string[][] = [];
  override execBatch(commands: string[], options?: ExecOptions): Promise<ExecResult[]> {
    this.batches.push(commands);
    return super.execBatch(commands, options);
  }
}

const echo = (word: string): Probe<string> => ({ key: `echo:${word}`, command: `echo ${word}`, parse: (r) => r.stdout.trim() });

let transport: RecordingTransport;
let tally: RoundTripTally;
let prober: CoalescingProber;
beforeEach(() => {
  transport = new RecordingTransport('local');
  tally = { roundTrips: 0 };
  prober = new CoalescingProber(async () => transport, tally);
});
afterEach(async () => {
  await transport.close();
});

describe('CoalescingProber', () => {
  it('sends the probes of several readers asked in the same turn in one batch, each once', async () => {
    const [a, b] = [prober.reader(false), prober.reader(false)];
    const results = await Promise.all([a.get(echo('one')), b.getAll([echo('two'), echo('one')] as const), a.get(echo('three'))]);
    expect(results).toEqual(['one', ['two', 'one'], 'three']);
    expect(transport.batches).toEqual([['echo one', 'echo two', 'echo three']]);
    expect(tally.roundTrips).toBe(1);
  });

  it('runs its probes in the shell\'s cheap probe mode (a fork of the shell: its $$ is not its own pid)', async () => {
    const mode: Probe<string> = { key: 'mode', command: '[ "$$" = "$BASHPID" ] && echo fresh || echo fork', parse: (r) => r.stdout.trim() };
    expect(await prober.reader(false).get(mode)).toBe('fork');
    expect((await transport.exec(mode.command)).stdout.trim()).toBe('fresh');
  });

  it('keeps every result for the window: a probe asked again is not sent again', async () => {
    const reader = prober.reader(false);
    await reader.get(echo('one'));
    expect(await reader.getAll([echo('one'), echo('four')] as const)).toEqual(['one', 'four']);
    expect(transport.batches).toEqual([['echo one'], ['echo four']]);
    expect(tally.roundTrips).toBe(2);
  });

  it('takes more rounds for a plan that asks a probe after another', async () => {
    const chained = async () => {
      const first = await prober.reader(false).get(echo('first'));
      return prober.reader(false).get(echo(`${first}-then`));
    };
    expect(await Promise.all([chained(), prober.reader(false).get(echo('alone'))])).toEqual(['first-then', 'alone']);
    expect(transport.batches).toEqual([['echo first', 'echo alone'], ['echo first-then']]);
  });

  it('fails only the requests of a probe whose parser throws', async () => {
    const broken: Probe<string> = { key: 'broken', command: 'echo broken', parse: () => { throw new Error('cannot parse'); } };
    const reader = prober.reader(false);
    const [bad, good] = await Promise.allSettled([reader.get(broken), reader.get(echo('fine'))]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'cannot parse' } });
    expect(good).toEqual({ status: 'fulfilled', value: 'fine' });
    await expect(prober.reader(false).get(broken)).rejects.toThrow('cannot parse');
    expect(transport.batches).toHaveLength(1);
  });

  it('fails every request of a batch the transport could not run', async () => {
    const failing = new CoalescingProber(async () => {
      throw new Error('connection lost');
    }, tally);
    const reader = failing.reader(false);
    await expect(Promise.all([reader.get(echo('x')), reader.get(echo('y'))])).rejects.toThrow('connection lost');
    expect(tally.roundTrips).toBe(0);
  });
});

describe('CoalescingProber with the plans it runs', () => {
  const busy = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('waits for a plan still busy on this machine, and sends its probe with the others', async () => {
    const results = await Promise.all([
      prober.run(false, (facts) => facts.get(echo('ready'))),
      prober.run(false, async (facts) => {
        await busy(5);
        return facts.get(echo('late'));
      }),
    ]);
    expect(results).toEqual(['ready', 'late']);
    expect(transport.batches).toEqual([['echo ready', 'echo late']]);
  });

  it('does not wait longer than MAX_WAIT_MS for a busy plan', async () => {
    const results = await Promise.all([
      prober.run(false, (facts) => facts.get(echo('ready'))),
      prober.run(false, async (facts) => {
        await busy(MAX_WAIT_MS * 10);
        return facts.get(echo('slow'));
      }),
    ]);
    expect(results).toEqual(['ready', 'slow']);
    expect(transport.batches).toEqual([['echo ready'], ['echo slow']]);
  });

  it('sends the next probes of the plans in one batch once they are all back to waiting', async () => {
    const chain = (a: string, b: string) => (facts: FactReader) => facts.get(echo(a)).then((x) => facts.get(echo(`${x}-${b}`)));
    const results = await Promise.all([prober.run(false, chain('a', 'x')), prober.run(false, chain('b', 'y')), prober.run(false, (facts) => facts.get(echo('a')))]);
    expect(results).toEqual(['a-x', 'b-y', 'a']);
    expect(transport.batches).toEqual([['echo a', 'echo b'], ['echo a-x', 'echo b-y']]);
  });
});
