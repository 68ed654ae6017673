// Evaluating condition trees: values chosen so that a wrong precedence or a wrong `not` gives a
// different answer; undefined names named with the condition's location; code in a condition never runs.
import { afterEach, describe, expect, it } from 'vitest';
import { ConditionError, TemplateError, UndefinedVariableError } from '../../../src/core/errors.js';
import { evaluateCondition } from '../../../src/core/conditions.js';
import { OPAQUE, RUNTIME_FALLBACK, type TemplateVars } from '../../../src/core/template-scope.js';

const loc = { file: 'roles/x/tasks/main.yaml', line: 14, col: 9 };
const vars = {
  n: 5,
  s: 'hello world',
  list: ['a', 'b'],
  hosts: ['web01', 'web02'],
  hostvars: { web01: { ro: false, state: { rc: 0 } }, web02: { ro: true } },
  map: { k: 1, nested: { z: null } },
  nothing: null,
  t: true,
  f: false,
  lazy: '<%= n + 1 %>',
  x: 'shadowed',
};
const ev = (text: string, v: TemplateVars = vars): boolean => evaluateCondition(text, v, loc);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('condition evaluation', () => {
  it.each([
    // or/and: true or (false and false) is true; (true or false) and false would be false
    ['t or f and f', true],
    ['(t or f) and f', false],
    // not over a comparison: not (5 == 6) is true; (not 5) == 6 would be false
    ['not n == 6', true],
    ['(not n) == 6', false],
    // not x in y: not ('a' in list) is false; (not 'a') in list would be false too, so use a list holding false
    ["not 'a' in list", false],
    ["not 'c' in list", true],
    ["not 'c' in [false]", true],
    ["'c' not in list and 'a' in list", true],
    ['1 + 2 * 3 == 7', true],
    ['2 ** 3 ** 2 == 512', true],
    ["n > 1 and (s == 'x' or (list[0] in ['a'] and not (map.k != 1)))", true],
    ["not (n > 1 and (s == 'x' or (list[0] in ['a'])))", false],
    ['n is number and s is string and list is sequence and map is mapping', true],
    ['nothing is none and nothing is not defined == false', true],
    ['zzz is not defined and map.q is undefined and map.q.r is undefined', true],
    ['map.nested.z.y is defined', false],
    ['typeof zzz == "undefined" and typeof n == "number"', true],
    ['vars.zzz ?? n == 5', true],
    ['map.q?.r == undefined and nothing?.x.y == undefined', true],
    ['lazy == 6', true],
    ['hosts.filter((h) => hostvars[h].ro == false).length == 1', true],
    ["hosts.every(h => h.startsWith('web')) and not hosts.some(h => h == 'lb01')", true],
    ["list.map(x => x + '!').includes('a!') and x == 'shadowed'", true],
    ['hosts.every((h) => hostvars[h].state is defined)', false],
    ["Math.max(n, 9) == 9 and String(n) == '5' and parseInt('42') == 42", true],
    ["s.split(' ')[1].toUpperCase() == 'WORLD'", true],
    ['n > 3 ? t : f', true],
    ['[1, 2].length == 2', true],
  ])('%s -> %s', (text, expected) => {
    expect(ev(text)).toBe(expected);
  });

  it('names an undefined variable at the condition, also inside an arrow function', () => {
    for (const [text, name] of [
      ['n > 1 and typo_var == 2', 'typo_var'],
      ['hosts.some((h) => h == nope)', 'nope'],
      ['map[missing_key]', 'missing_key'],
      ['process.exit(1)', 'process'],
    ]) {
      const err = thrown(() => ev(text as string));
      expect(err).toBeInstanceOf(UndefinedVariableError);
      expect((err as UndefinedVariableError).variable).toBe(name);
      expect((err as Error).message).toMatch(new RegExp(`^roles/x/tasks/main\\.yaml:14:9: undefined variable '${name}'`));
    }
  });

  it('says which property of what could not be read, and that it depends on the values', () => {
    const err = thrown(() => ev('map.q.r == 1'));
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as TemplateError).kind).toBe('runtime');
    expect((err as Error).message).toBe(
      "roles/x/tasks/main.yaml:14:9: condition 'map.q.r == 1' failed: Cannot read properties of undefined (reading 'r')",
    );
    expect(() => ev('map.foo()')).toThrow("condition 'map.foo()' failed: map.foo is not a function");
    expect(() => ev("JSON.parse('{')")).toThrow(/condition 'JSON.parse\('\{'\)' failed: JSON.parse\('\{'\): /);
  });

  it('gives the character of a syntax error', () => {
    const err = thrown(() => ev('n > 1 and and'));
    expect(err).toBeInstanceOf(ConditionError);
    expect((err as ConditionError).kind).toBe('syntax');
    expect((err as Error).message).toMatch(/^roles\/x\/tasks\/main\.yaml:14:9: invalid condition 'n > 1 and and': .* \(at character 11\)/);
  });

  it('treats names known only at run time as passing everything', () => {
    const runtime: TemplateVars = { ...vars, [RUNTIME_FALLBACK]: (name: string) => (name === 'result' ? OPAQUE : undefined) };
    expect(ev("result.stdout.trim() in ['a'] and result is failed and result is not skipped == false", runtime)).toBe(true);
    expect(() => ev('result.rc == other', runtime)).toThrow(UndefinedVariableError);
  });
});

describe('a condition cannot run code', () => {
  const pwned = (): unknown => (globalThis as Record<string, unknown>).__provision_pwned;
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).__provision_pwned;
  });

  it.each([
    ["constructor.constructor('globalThis.__provision_pwned = 1')()", UndefinedVariableError],
    ["s.constructor.constructor('globalThis.__provision_pwned = 1')()", ConditionError],
    ["s['constr' + 'uctor']['constructor']('globalThis.__provision_pwned = 1')()", ConditionError],
    ["list.__proto__.map.constructor('globalThis.__provision_pwned = 1')()", ConditionError],
    ["Object.getOwnPropertyDescriptor(Object.getPrototypeOf(h => h), 'constructor').value('globalThis.__provision_pwned = 1')()", ConditionError],
    ["list.map.call.call(list.map, list, h => h)", ConditionError],
    ["Object.defineProperty(Object, 'x', {})", ConditionError],
    ["globalThis.__provision_pwned = 1", ConditionError],
    ["eval('globalThis.__provision_pwned = 1')", UndefinedVariableError],
    ["Function('globalThis.__provision_pwned = 1')()", UndefinedVariableError],
    ['this.constructor', ConditionError],
  ])('%s', (text, errorClass) => {
    const err = thrown(() => ev(text));
    expect(err).toBeInstanceOf(errorClass);
    expect(pwned()).toBeUndefined();
  });

  it('reports a forbidden name whatever the values (validation sees it)', () => {
    const err = thrown(() => ev('s.constructor'));
    expect((err as TemplateError).kind).toBe('syntax');
    expect((err as Error).message).toContain("'constructor' cannot be read in conditions");
  });
});
