// fileStat probes of one batch run as one command (one stat, one sha256sum, one readlink): on real
// files of this machine (odd names, links, directories, a FIFO, missing and unreadable files), each
// probe's merged result must be what the same probe gives when it runs alone, output and parsed fact.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { execProbes } from '../../../src/engine/merged-probes.js';
import { fileStat, parseFileStat } from '../../../src/facts/files.js';
import type { Probe } from '../../../src/facts/types.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { ExecOptions, ExecResult } from '../../../src/transport/types.js';

/** A real local shell that also records the command lists of its execBatch calls. */
class RecordingTransport extends LocalTransport {
  readonly batches: string[][] = [];
  override execBatch(commands: string[], options?: ExecOptions): Promise<ExecResult[]> {
    this.batches.push(commands);
    return super.execBatch(commands, options);
  }
}

const root = mkdtempSync(join(tmpdir(), 'stat-merged-'));
const transport = new RecordingTransport('local');
afterAll(async () => {
  await transport.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  transport.batches.length = 0;
});

const names = ['hello.txt', 'empty', "odd name 'q' -x", 'new\nline', 'back\\slash', '-dash', 'tab\tname', 'dollar $x `y` "z"', 'ünïcödé'];
for (const name of names) writeFileSync(join(root, name), `content of ${name}\n`.repeat(name === 'empty' ? 0 : 1));
mkdirSync(join(root, 'dir'));
symlinkSync(join(root, 'hello.txt'), join(root, 'link'));
symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
symlinkSync(join(root, 'dir'), join(root, 'link to dir'));
symlinkSync(join(root, 'new\nline'), join(root, 'link with\nnewline'));
execFileSync('mkfifo', [join(root, 'fifo')]);
const paths = [...names, 'dir', 'link', 'dangling', 'link to dir', 'link with\nnewline', 'fifo', 'missing', 'no/such/dir/file'].map((n) => join(root, n));

const alone = async (p: Probe<unknown>): Promise<ExecResult> => {
  const [result] = await transport.execBatch([p.command], { probe: true });
  return result as ExecResult;
};

/** Runs the probes merged, then each alone, and compares outputs and parsed facts; the merged run's batches. */
async function expectSameAsAlone(probes: Probe<unknown>[]): Promise<{ merged: ExecResult[]; batches: string[][] }> {
  const merged = await execProbes(transport, probes, { probe: true });
  const batches = [...transport.batches];
  for (const [i, p] of probes.entries()) {
    const own = await alone(p);
    expect({ key: p.key, ...merged[i] }).toEqual({ key: p.key, ...own });
    expect(parseFileStat(merged[i] as ExecResult)).toEqual(parseFileStat(own));
  }
  return { merged, batches };
}

describe('fileStat probes merged into one command', () => {
  it('gives every probe what it gives alone, with one command for the batch', async () => {
    const probes = paths.filter((p) => !p.includes('link with')).map((p) => fileStat(p));
    const { batches } = await expectSameAsAlone(probes);
    expect(batches.map((b) => b.length)).toEqual([1]);
    // Each tool for the whole batch (its exec'd form when it is the last with files, its plain form else), never per file.
    const command = batches[0]?.[0] ?? '';
    expect(command.match(/\bsha256sum\b[^\n;]*/g)).toEqual(['sha256sum -- "${H[@]}"', 'sha256sum -- "${H[@]}"']);
    expect(command.match(/\bstat -c\b[^\n;]*/g)?.map((m) => m.replace(/'[^']*'/, 'FORMAT'))).toEqual(['stat -c FORMAT -- "${F[@]}"', 'stat -c FORMAT -- "${F[@]}"']);
  });

  it('does the same for followed links and without checksums, one command per way of following', async () => {
    const probes = paths.filter((p) => !p.includes('link with')).flatMap((p) => [fileStat(p, { follow: true }), fileStat(p, { checksum: false }), fileStat(p, { follow: true, checksum: false })]);
    const { batches } = await expectSameAsAlone(probes);
    expect(batches.map((b) => b.length)).toEqual([2]);
  });

  it('hashes the content itself (not a value from the merge code)', async () => {
    const [hello, link] = await execProbes(transport, [fileStat(join(root, 'hello.txt')), fileStat(join(root, 'link'), { follow: true })], { probe: true });
    const want = createHash('sha256').update('content of hello.txt\n').digest('hex');
    expect(parseFileStat(hello as ExecResult)).toMatchObject({ exists: true, type: 'file', sha256: want, size: 21 });
    expect(parseFileStat(link as ExecResult)).toMatchObject({ exists: true, type: 'file', sha256: want });
  });

  it('runs the probes one by one when a link target has a newline (a line too many)', async () => {
    const probes = [fileStat(join(root, 'link with\nnewline')), fileStat(join(root, 'link')), fileStat(join(root, 'hello.txt'))];
    const { batches } = await expectSameAsAlone(probes);
    expect(batches.map((b) => b.length)).toEqual([1, 3]);
  });

  it('runs the probes one by one when a tool fails on one file (an unreadable file: its own odd result stays its own)', async () => {
    const unreadable = '/proc/1/mem';
    const probes = [fileStat(unreadable), fileStat(join(root, 'hello.txt')), fileStat(join(root, 'missing'))];
    const { merged, batches } = await expectSameAsAlone(probes);
    expect(batches.map((b) => b.length)).toEqual([1, 3]);
    expect(merged[0]?.stderr).toMatch(/Permission denied/);
  });

  it('leaves a probe of `-` (standard input to the tools) out of the merge', async () => {
    expect(fileStat('-').merge).toBeUndefined();
    expect(fileStat(join(root, '-dash')).merge).toBeDefined();
  });
});
