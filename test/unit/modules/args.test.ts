import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bool, int, modeArg, resolveMode, stringList } from '../../../src/modules/args.js';

describe('bool', () => {
  it.each([[true, true], ['yes', true], ['No', false], ['on', true], ['false', false], [1, true], [0, false]])('%o → %o', (v, b) => expect(bool().parse(v)).toBe(b));
  it.each([['maybe'], [2], [null]])('rejects %o', (v) => expect(bool().safeParse(v).success).toBe(false));
});

describe('int and lists', () => {
  it('accepts numeric strings', () => expect(int().parse('300')).toBe(300));
  it('rejects other strings', () => expect(int().safeParse('3m').success).toBe(false));
  it('splits comma lists', () => expect(stringList().parse('a, b,,c')).toEqual(['a', 'b', 'c']));
});

describe('mode', () => {
  it('takes YAML 0644 (which the yaml package reads as the number 644) as octal digits', () => {
    const doc = parse('mode: 0644') as { mode: unknown };
    expect(doc.mode).toBe(644);
    expect(resolveMode(modeArg().parse(doc.mode), undefined, false)).toBe('0644');
  });
  it.each([
    ['0644', undefined, false, '0644'],
    ['644', undefined, false, '0644'],
    ['2755', undefined, true, '2755'],
    ['u=rw,g=r,o=r', '0777', false, '0644'],
    ['u+x', '0644', false, '0744'],
    ['go-w', '0666', false, '0644'],
    ['a+X', '0644', true, '0755'],
    ['a+X', '0644', false, '0644'],
    ['u=rwx,g=rx,o=', '0000', true, '0750'],
    ['g+s', '0755', true, '2755'],
  ] as const)('%s on %s → %s', (spec, current, dir, out) => expect(resolveMode(spec, current, dir)).toBe(out));
  it.each([['rw'], [999], ['0o644'], ['u=q']])('rejects %o', (v) => expect(modeArg().safeParse(v).success).toBe(false));
});
