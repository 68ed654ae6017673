import { describe, expect, it } from 'vitest';
import {
  ResponseReader,
  encodeRequest,
  parseResponseLine,
  toRawResult,
} from '../../../src/transport/shell-protocol.js';

const S = 'PRVabc';

describe('encodeRequest', () => {
  it('frames commands with their stdin length and their own length in bytes', () => {
    const data = encodeRequest(S, 7, [
      { command: 'echo "a b"\nls', stdin: Buffer.from([0, 1, 2]) },
      { command: 'true', timeoutMs: 1500.2, how: 'fork' },
      { command: 'echo été' },
    ]);
    expect(data).toEqual(
      Buffer.concat([
        Buffer.from(`${S} 7 3\n0 3 x 13\necho "a b"\nls`),
        Buffer.from([0, 1, 2]),
        Buffer.from('1501 0 f 4\ntrue'),
        // é is two bytes in UTF-8: 10 bytes for 8 characters.
        Buffer.from('0 0 x 10\necho été'),
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

describe('ResponseReader', () => {
  it('reassembles lines and raw outputs across arbitrary chunk boundaries', () => {
    const messages: unknown[] = [];
    const reader = new ResponseReader(S, (m) => messages.push(m));
    const big = 'x'.repeat(100_000);
    const binary = Buffer.from([1, 127, 255, 10, 13, 32]);
    const bytes = Buffer.concat([
      Buffer.from(`${S} ready 9\n${S} 1 0 10 =\n`),
      binary,
      Buffer.from(`\0err\n\0${S} 1 3 20 ${Buffer.from(big).toString('base64')} \n${S} 1 0 5 =\n\0\0${S} 1 done\n`),
    ]);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7));
    expect(messages).toEqual([
      { kind: 'ready', pid: 9 },
      { kind: 'result', id: 1, code: 0, elapsedUs: 10, stdout: binary, stderr: Buffer.from('err\n') },
      { kind: 'result', id: 1, code: 3, elapsedUs: 20, stdout: Buffer.from(big), stderr: Buffer.alloc(0) },
      { kind: 'result', id: 1, code: 0, elapsedUs: 5, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) },
      { kind: 'done', id: 1 },
    ]);
  });
});
