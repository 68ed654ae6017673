import { describe, expect, it } from 'vitest';
import { UndefinedVariableError, InputError } from '../../../src/core/errors.js';
import { evaluateCondition, evaluateConditions, namesTestedDefined } from '../../../src/core/conditions.js';

const loc = { file: 'p.yaml', line: 3, col: 11 };
const vars = {
  n: 5,
  s: 'hello world',
  list: ['a', 'b'],
  map: { k: 1 },
  ok: { changed: false, failed: false },
  bad: { changed: true, failed: true },
  skipped_result: { skipped: true },
  nothing: null,
  flag: false,
};
const ev = (e: string | boolean) => evaluateCondition(e, vars, loc);

describe('evaluateCondition', () => {
  it.each([
    ['n > 3 and n < 10', true],
    ['n > 3 and n > 10', false],
    ['n > 10 or s', true],
    ['not flag', true],
    ['not n == 5', false],
    ['not n == 5 or true', true],
    ['not not flag', false],
    ["'a' in list", true],
    ["'c' in list", false],
    ["'c' not in list", true],
    ["'world' in s", true],
    ["'k' in map", true],
    ['n is defined', true],
    ['zzz is defined', false],
    ['zzz is not defined', true],
    ['zzz is undefined', true],
    ['map.k is defined', true],
    ['map.q is defined', false],
    ['map.q.r is defined', false],
    ['nothing is none', true],
    ['nothing is None', true],
    ['nothing == None', true],
    ['ok is succeeded', true],
    ['ok is failed', false],
    ['bad is failed and bad is changed', true],
    ['bad is not failed', false],
    ['skipped_result is skipped', true],
    ['True', true],
    ['False or True', true],
    ['n == 5 and (zzz is not defined or zzz)', true],
    ["list.length == 2 and s.startsWith('hello')", true],
    ["s == 'a and b'", false],
    ["list[0] in ['a', 'x']", true],
    ['Math.max(n, 1) == 5', true],
  ])('%s -> %s', (expr, expected) => {
    expect(ev(expr)).toBe(expected);
  });

  it('accepts YAML booleans and templated conditions', () => {
    expect(ev(true)).toBe(true);
    expect(ev(false)).toBe(false);
    expect(evaluateCondition('<%= n > 1 %>', vars, loc)).toBe(true);
  });

  it('requires all of a list', () => {
    expect(evaluateConditions(['n > 1', 'flag'], vars, loc)).toBe(false);
    expect(evaluateConditions(['n > 1', true, "'a' in list"], vars, loc)).toBe(true);
    expect(evaluateConditions([], vars, loc)).toBe(true);
  });

  it('names an undefined variable with the location of the expression', () => {
    let err: unknown;
    try {
      ev('n > 1 and typo_var == 2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as Error).message).toMatch(/^p\.yaml:3:11: undefined variable 'typo_var'/);
  });

  it('reports malformed conditions as input errors', () => {
    expect(() => ev('n is frobbed')).toThrow(InputError);
    expect(() => ev('n is frobbed')).toThrow(/p\.yaml:3:11: invalid condition.*unknown test 'frobbed'/);
    expect(() => ev('n >')).toThrow(/p\.yaml:3:11/);
  });

  it('does not take words inside strings or member names for operators', () => {
    expect(evaluateCondition("x.not == 'a or b'", { x: { not: 'a or b' } }, loc)).toBe(true);
    expect(evaluateCondition("x.not == 'a or b'", { x: { not: 'a' } }, loc)).toBe(false);
    expect(evaluateCondition('a and not b', { a: true, b: false }, loc)).toBe(true);
    expect(evaluateCondition('a and not b', { a: true, b: true }, loc)).toBe(false);
  });

  it('collects names tested with is defined', () => {
    expect(namesTestedDefined('a is defined and b.c is defined and d is not defined')).toEqual(['a']);
  });
});
