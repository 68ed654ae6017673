import { describe, expect, it } from 'vitest';
import {
  LineSplitter,
  encodeRequest,
  parseResponseLine,
  toRawResult,
} from '../../../src/transport/shell-protocol.js';

const S = 'PRVabc';

describe('encodeRequest', () => {
  it('frames commands with their stdin length and a NUL after the command', () => {
    const data = encodeRequest(S, 7, [
      { command: 'echo "a b"\nls', stdin: Buffer.from([0, 1, 2]) },
      { command: 'true', timeoutMs: 1500.2 },
    ]);
    expect(data).toEqual(
      Buffer.concat([
        Buffer.from(`${S} 7 2\n0 3\necho "a b"\nls\0`),
        Buffer.from([0, 1, 2]),
        Buffer.from('1501 0\ntrue\0'),
      ]),
    );
  });

  it('refuses a command containing NUL (it could never reach bash -c)', () => {
    expect(() => encodeRequest(S, 1, [{ command: 'a\0b' }])).toThrow(/NUL/);
  });
});

describe('parseResponseLine', () => {
  it('decodes ready, result and done lines', () => {
    expect(parseResponseLine(S, Buffer.from(`${S} ready 42`))).toEqual({ kind: 'ready', pid: 42 });
    expect(parseResponseLine(S, Buffer.from(`${S} 3 done`))).toEqual({ kind: 'done', id: 3 });
    const out = Buffer.from([0, 255, 10, 32]);
    const line = parseResponseLine(S, Buffer.from(`${S} 3 1 1500 ${out.toString('base64')} ${Buffer.from('e').toString('base64')}`));
    expect(line).toEqual({ kind: 'result', id: 3, code: 1, elapsedUs: 1500, stdout: out, stderr: Buffer.from('e') });
  });

  it('decodes empty output fields', () => {
    const line = parseResponseLine(S, Buffer.from(`${S} 1 0 10  `));
    expect(line).toMatchObject({ kind: 'result', code: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) });
  });

  it('treats lines without the sentinel as noise', () => {
    expect(parseResponseLine(S, Buffer.from('PRVabd 1 done')).kind).toBe('noise');
    expect(parseResponseLine(S, Buffer.from(`${S} 1 2`)).kind).toBe('noise');
  });
});

describe('toRawResult', () => {
  const base = { kind: 'result' as const, id: 1, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  it('flags a kill by timeout only when a limit was set and reached', () => {
    const killed = toRawResult({ ...base, code: 124, elapsedUs: 300_500 }, { command: 'sleep 9', timeoutMs: 300 });
    expect(killed.timedOut).toBe(true);
    expect(killed.stderr.toString()).toMatch(/timed out after 300 ms/);
    expect(toRawResult({ ...base, code: 124, elapsedUs: 1000 }, { command: 'exit 124', timeoutMs: 300 }).timedOut).toBe(false);
    expect(toRawResult({ ...base, code: 124, elapsedUs: 900_000 }, { command: 'exit 124' }).timedOut).toBe(false);
  });
});

describe('LineSplitter', () => {
  it('reassembles lines across arbitrary chunk boundaries', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l.toString()));
    const text = `one\ntwo\n${'x'.repeat(100_000)}\n\nlast\n`;
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 7) splitter.push(bytes.subarray(i, i + 7));
    expect(lines).toEqual(['one', 'two', 'x'.repeat(100_000), '', 'last']);
  });
});
