import { describe, expect, test } from 'vitest';
import { createMasker, MASK, markSecretOnlyDiffs, type DiffSides, maskDeep, maskSecrets, Secrets } from '../../../src/core/mask.js';

describe('maskSecrets', () => {
  test('replaces every occurrence of every secret', () => {
    expect(maskSecrets('user=admin pass=hunter22 again hunter22', ['hunter22'])).toBe(
      `user=admin pass=${MASK} again ${MASK}`,
    );
    expect(maskSecrets('a=tok1234 b=pw5678', ['tok1234', 'pw5678'])).toBe(`a=${MASK} b=${MASK}`);
  });

  test('the longest secret wins where secrets overlap, whatever the order given', () => {
    expect(maskSecrets('key=abcdef', ['abc', 'abcdef'])).toBe(`key=${MASK}`);
    expect(maskSecrets('key=abcdef', ['abcdef', 'abc'])).toBe(`key=${MASK}`);
  });

  test('regex characters in secrets are literal', () => {
    expect(maskSecrets('p=a.b*c$1 q=axbbc', ['a.b*c$1'])).toBe(`p=${MASK} q=axbbc`);
    expect(maskSecrets('x (y) [z] \\w', ['(y)', '[z]', '\\w'])).toBe(`x ${MASK} ${MASK} ${MASK}`);
  });

  test('short secrets are masked too; only the empty string is ignored', () => {
    expect(maskSecrets('pin=123', ['123'])).toBe(`pin=${MASK}`);
    expect(maskSecrets('pin=7', ['7'])).toBe(`pin=${MASK}`);
    expect(maskSecrets('nothing secret', [''])).toBe('nothing secret');
  });

  test('a secret made of asterisks does not grow the mask', () => {
    expect(maskSecrets('pw=**', ['**'])).toBe(`pw=${MASK}`);
  });

  test('no secrets: text unchanged', () => {
    expect(maskSecrets('plain', [])).toBe('plain');
    expect(createMasker(undefined)('plain')).toBe('plain');
  });

  test('maskDeep masks strings in nested values and keys, leaves other types', () => {
    const value = { msg: 'pw is sekret', list: ['sekret', 1, true, null], nested: { sekret: 'x' } };
    expect(maskDeep(value, createMasker(['sekret']))).toEqual({
      msg: `pw is ${MASK}`,
      list: [MASK, 1, true, null],
      nested: { [MASK]: 'x' },
    });
  });
});

describe('Secrets (the run\'s one mask, applied by RunContext.emit)', () => {
  test('a secret learned later is masked from then on; numbers count, empty strings do not', () => {
    const secrets = new Secrets();
    const event = { type: 'result', msg: 'first 1234 then later-pw', n: 1234 };
    expect(secrets.maskDeep(event)).toBe(event);
    secrets.add(1234);
    secrets.add('');
    expect(secrets.maskDeep(event)).toEqual({ type: 'result', msg: `first ${MASK} then later-pw`, n: 1234 });
    secrets.add('later-pw');
    expect(secrets.maskDeep(event)).toEqual({ type: 'result', msg: `first ${MASK} then ${MASK}`, n: 1234 });
    expect(event.msg).toBe('first 1234 then later-pw');
  });

  test('keys and nested lists are masked too', () => {
    const secrets = new Secrets();
    secrets.add('pa"ss');
    expect(secrets.maskDeep({ data: { 'pa"ss': ['x pa"ss'] } })).toEqual({ data: { [MASK]: [`x ${MASK}`] } });
  });
});

describe('markSecretOnlyDiffs', () => {
  test('marks the masked diffs whose sides differed and now read alike, by position', () => {
    const original: DiffSides[] = [
      { before: 'pw=a1\n', after: 'pw=b2\n' },
      { before: 'x=1 pw=a1\n', after: 'x=2 pw=b2\n' },
      { before: 'same\n', after: 'same\n' },
    ];
    const masked = maskDeep(original, createMasker(['a1', 'b2']));
    markSecretOnlyDiffs(original, masked);
    expect(masked.map((d) => d.only_secrets_differ)).toEqual([true, undefined, undefined]);
    expect(original[0]).not.toHaveProperty('only_secrets_differ');
  });
});
