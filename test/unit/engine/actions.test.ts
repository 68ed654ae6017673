// The atomic put script (engine/actions.ts), run for real through LocalTransport in a temp dir.

import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionFailed, describeAction, executeActions, putScript } from '../../../src/engine/actions.js';
import type { PutAction } from '../../../src/modules/types.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { makeTmp, removeTmp } from './harness.js';

let t: LocalTransport;
let tmp: string;

beforeAll(() => {
  t = new LocalTransport('localhost');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  if (tmp) removeTmp(tmp);
  tmp = makeTmp();
});
afterAll(() => removeTmp(tmp));

function put(action: Omit<PutAction, 'kind'>) {
  return t.exec(putScript({ kind: 'put', ...action }), { stdin: action.content });
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('putScript', () => {
  it('writes the content byte for byte with the given mode', async () => {
    const path = join(tmp, 'a.conf');
    const content = Buffer.from([0x61, 0, 0xff, 0x0a, 0x27, 0x22, 0x24]);
    const r = await put({ path, content, mode: '0600' });
    expect(r.code).toBe(0);
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(tmp)).toEqual(['a.conf']);
  });

  it('a new file without a mode gets 0644; an existing one keeps its mode', async () => {
    const path = join(tmp, 'b.conf');
    expect((await put({ path, content: 'one\n' })).code).toBe(0);
    expect(mode(path)).toBe(0o644);
    chmodSync(path, 0o640);
    expect((await put({ path, content: 'two\n' })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('two\n');
    expect(mode(path)).toBe(0o640);
  });

  it('handles a path with spaces and quotes', async () => {
    const path = join(tmp, `it's a "file" $x`);
    expect((await put({ path, content: 'q\n', mode: '0644' })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('q\n');
  });

  it('a failing validate leaves the previous file untouched and no temp file behind', async () => {
    const path = join(tmp, 'c.conf');
    writeFileSync(path, 'good\n');
    chmodSync(path, 0o600);
    const r = await put({ path, content: 'bad\n', mode: '0644', validate: 'grep -q good %s' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/validation failed/);
    expect(readFileSync(path, 'utf8')).toBe('good\n');
    expect(mode(path)).toBe(0o600);
    expect(readdirSync(tmp)).toEqual(['c.conf']);
  });

  it('a passing validate (with %s, or the file appended) replaces the file', async () => {
    const path = join(tmp, 'd.conf');
    writeFileSync(path, 'old\n');
    expect((await put({ path, content: 'good 1\n', validate: 'grep -q good %s' })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('good 1\n');
    expect((await put({ path, content: 'good 2\n', validate: 'grep -q good' })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('good 2\n');
    expect(readdirSync(tmp)).toEqual(['d.conf']);
  });

  it('backup keeps a copy of the previous file', async () => {
    const path = join(tmp, 'e.conf');
    writeFileSync(path, 'before\n');
    expect((await put({ path, content: 'after\n', backup: true })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('after\n');
    const backups = readdirSync(tmp).filter((f) => f !== 'e.conf');
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^e\.conf\.\d+\.\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}~$/);
    expect(readFileSync(join(tmp, backups[0] as string), 'utf8')).toBe('before\n');
  });

  it('backup of a missing file makes no copy', async () => {
    const path = join(tmp, 'f.conf');
    expect((await put({ path, content: 'new\n', backup: true })).code).toBe(0);
    expect(readdirSync(tmp)).toEqual(['f.conf']);
  });

  it('a missing directory fails without writing anything', async () => {
    const path = join(tmp, 'no', 'such', 'g.conf');
    const r = await put({ path, content: 'x\n' });
    expect(r.code).not.toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('makeParents creates the missing directories, and only the temp file beside the target is used', async () => {
    const path = join(tmp, 'new dir', "it's", 'h.conf');
    expect((await put({ path, content: 'made\n', makeParents: true })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('made\n');
    expect(readdirSync(join(tmp, 'new dir', "it's"))).toEqual(['h.conf']);
  });
});

describe('executeActions', () => {
  it('runs actions in order and stops at the first failure, with the outputs so far', async () => {
    const path = join(tmp, 'h.conf');
    const err = await executeActions(
      t,
      [
        { kind: 'exec', command: 'printf one' },
        { kind: 'put', path, content: 'bad\n', validate: 'false %s' },
        { kind: 'exec', command: `echo never > ${join(tmp, 'never')}` },
      ],
      false,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActionFailed);
    const outputs = (err as ActionFailed).outputs;
    expect(outputs.map((o) => o.code)).toEqual([0, 3]);
    expect(outputs[0]?.stdout).toBe('one');
    expect((err as ActionFailed).message).toMatch(/validation failed/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('okCodes accept other exit codes', async () => {
    const outputs = await executeActions(t, [{ kind: 'exec', command: 'exit 1', okCodes: [0, 1] }], false);
    expect(outputs.map((o) => o.code)).toEqual([1]);
  });

  it('describeAction hides sensitive actions', () => {
    expect(describeAction({ kind: 'exec', command: 'echo pw', sensitive: true })).not.toContain('pw');
    expect(describeAction({ kind: 'put', path: '/x', content: 's', sensitive: true })).toBe('write /x (content hidden)');
    expect(describeAction({ kind: 'put', path: '/x', content: 's', validate: 'v %s' })).toBe('write /x (validated by v %s)');
    expect(describeAction({ kind: 'exec', command: 'c', describe: 'nice' })).toBe('nice');
  });
});
