// The batch of a prober: probes of one family go as one command (chunked), the others as they are,
// in a real local shell; a family that cannot split its output has its probes run one by one.

import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CoalescingProber } from '../../../src/engine/coalescing-fact-reader.js';
import { batchCommands, execProbes, MAX_MERGED } from '../../../src/engine/merged-probes.js';
import { fileStat, parseFileStat } from '../../../src/facts/files.js';
import type { Probe, ProbeFamily } from '../../../src/facts/types.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { ExecOptions, ExecResult } from '../../../src/transport/types.js';

class RecordingTransport extends LocalTransport {
  readonly batches: string[][] = [];
  override execBatch(commands: string[], options?: ExecOptions): Promise<ExecResult[]> {
    this.batches.push(commands);
    return super.execBatch(commands, options);
  }
}

/** Words printed by one `printf` for the whole family, one line each; `splits: false` never splits. */
function wordFamily(splits: boolean): ProbeFamily<string> {
  return {
    name: 'words',
    command: (words) => `printf '%s\\n' ${words.join(' ')}`,
    split: (result, words) => {
      const lines = result.stdout.split('\n').slice(0, -1);
      if (!splits || lines.length !== words.length) return undefined;
      return lines.map((l) => ({ code: result.code, stdout: `${l}\n`, stderr: '' }));
    },
  };
}
const splitting = wordFamily(true);
const failing = wordFamily(false);
const word = (w: string, family = splitting): Probe<string> => ({ key: `word:${w}`, command: `echo ${w}`, parse: (r) => r.stdout.trim(), merge: { family, input: w } });
const plain = (w: string): Probe<string> => ({ key: `plain:${w}`, command: `echo ${w}`, parse: (r) => r.stdout.trim() });

const transport = new RecordingTransport('local');
afterAll(() => transport.close());
beforeEach(() => {
  transport.batches.length = 0;
});

describe('batchCommands', () => {
  it("keeps probes without a family as they are, and sends a family of one in its family's form", () => {
    expect(batchCommands([plain('a'), word('b'), plain('c')]).map((c) => c.command)).toEqual(['echo a', 'echo c', "printf '%s\\n' b"]);
  });

  it('merges each family into one command, in chunks of MAX_MERGED', () => {
    const words = Array.from({ length: MAX_MERGED + 2 }, (_, i) => word(`w${i}`));
    const commands = batchCommands([plain('a'), ...words, word('x', failing), word('y', failing)]);
    expect(commands.map((c) => c.members.length)).toEqual([1, MAX_MERGED, 2, 2]);
  });
});

describe('execProbes', () => {
  it('gives each probe of a merged family its own part, in one round trip', async () => {
    const results = await execProbes(transport, [word('one'), plain('two'), word('three')], { probe: true });
    expect(results.map((r) => r.stdout)).toEqual(['one\n', 'two\n', 'three\n']);
    expect(transport.batches).toEqual([['echo two', "printf '%s\\n' one three"]]);
  });

  it('runs a family that cannot split its output one by one, in a second round trip', async () => {
    const tally = { roundTrips: 0 };
    const results = await execProbes(transport, [word('one', failing), plain('two'), word('three', failing)], { probe: true, tally });
    expect(results.map((r) => r.stdout)).toEqual(['one\n', 'two\n', 'three\n']);
    expect(transport.batches).toEqual([['echo two', "printf '%s\\n' one three"], ['echo one', 'echo three']]);
    expect(tally.roundTrips).toBe(2);
  });
});

describe('CoalescingProber with a family', () => {
  it('merges the fileStat probes that several plans ask in the same turn', async () => {
    const prober = new CoalescingProber(async () => transport, { roundTrips: 0 });
    const [a, b] = [prober.reader(false), prober.reader(false)];
    const [hosts, [passwd, missing]] = await Promise.all([a.get(fileStat('/etc/hosts')), b.getAll([fileStat('/etc/passwd'), fileStat('/no/such/file')] as const)]);
    expect(transport.batches).toHaveLength(1);
    expect(transport.batches[0]).toHaveLength(1);
    const alone = await transport.execBatch([fileStat('/etc/hosts').command, fileStat('/etc/passwd').command], { probe: true });
    expect([hosts, passwd]).toEqual(alone.map(parseFileStat));
    expect(missing).toEqual({ exists: false });
  });
});
