// The one key=value reader: inline module arguments, free-form options and -e.

import { describe, expect, it } from 'vitest';
import { scanKeyValues } from '../../../src/core/key-values.js';

describe('scanKeyValues', () => {
  it('splits like a shell: quotes, escapes and <% %> blocks keep blanks inside a value', () => {
    const { pairs, rest, balanced } = scanKeyValues(`a=1 b="two words" c='x y' d=k=v e= f="say \\"hi\\"" g=<%= x ? "a b" : 'c' %>`);
    expect(pairs).toEqual([
      { key: 'a', value: '1', quoted: false },
      { key: 'b', value: 'two words', quoted: true },
      { key: 'c', value: 'x y', quoted: true },
      { key: 'd', value: 'k=v', quoted: false },
      { key: 'e', value: '', quoted: false },
      { key: 'f', value: 'say "hi"', quoted: true },
      { key: 'g', value: `<%= x ? "a b" : 'c' %>`, quoted: false },
    ]);
    expect(rest).toBe('');
    expect(balanced).toBe(true);
  });

  it('a value only partly quoted keeps its quotes', () => {
    expect(scanKeyValues('a=x"y z"').pairs).toEqual([{ key: 'a', value: 'x"y z"', quoted: false }]);
  });

  it('takes only the keys asked for and leaves the rest as written, without the pairs', () => {
    const known = new Set(['chdir', 'creates']);
    const { pairs, rest } = scanKeyValues(`chdir=/tmp echo "a  creates=/no" x=1 creates=/x 'b'`, (k) => known.has(k));
    expect(pairs).toEqual([
      { key: 'chdir', value: '/tmp', quoted: false },
      { key: 'creates', value: '/x', quoted: false },
    ]);
    expect(rest).toBe(`echo "a  creates=/no" x=1 'b'`);
  });

  it('words that are not pairs stay in rest; an unclosed quote is reported', () => {
    expect(scanKeyValues('a=1 b =x').rest).toBe('b =x');
    expect(scanKeyValues('=x').rest).toBe('=x');
    const open = scanKeyValues(`a=1 b="unclosed c=2`);
    expect(open.balanced).toBe(false);
    expect(open.pairs).toEqual([{ key: 'a', value: '1', quoted: false }]);
    expect(open.rest).toBe('b="unclosed c=2');
    expect(scanKeyValues(`a=it's`).balanced).toBe(false);
  });
});
