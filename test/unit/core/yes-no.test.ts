// The one yes/no parser: Ansible's words, in any case, and nothing else.

import { describe, expect, it } from 'vitest';
import { parseYesNo, yesNo } from '../../../src/core/yes-no.js';

describe('parseYesNo', () => {
  it.each([
    ['yes', true], ['Yes', true], ['YES', true], ['true', true], ['True', true], ['on', true], ['ON', true], ['1', true], [' yes ', true],
    ['no', false], ['NO', false], ['false', false], ['False', false], ['off', false], ['Off', false], ['0', false],
    [true, true], [false, false], [1, true], [0, false],
  ] as const)('%j → %j', (word, value) => expect(parseYesNo(word)).toBe(value));

  it.each([['y'], ['n'], ['t'], ['f'], ['maybe'], [''], ['2'], [2], [-1], [null], [undefined], [['yes']], [{}]])('%j is not a boolean', (v) => {
    expect(parseYesNo(v)).toBeUndefined();
  });
});

describe('yesNo schema (module arguments and task keywords)', () => {
  it('reads the words and rejects other values as "expected boolean"', () => {
    expect(yesNo().parse('On')).toBe(true);
    expect(yesNo().parse(0)).toBe(false);
    const r = yesNo().safeParse('y');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'invalid_type', expected: 'boolean' });
  });
});
