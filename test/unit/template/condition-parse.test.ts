// The condition grammar: which operator binds tighter, where `not` ends, how `is`/`in` read, and where
// a malformed condition is reported. Trees are printed fully parenthesised by the printer below (written
// here, independently of the parser's own messages) and compared with hand-written text.
import { describe, expect, it } from 'vitest';
import { ConditionError } from '../../../src/core/errors.js';
import { parseCondition, type ConditionNode, type TestNode } from '../../../src/core/condition-parse.js';
import { namesTestedDefined } from '../../../src/core/conditions.js';

function show(node: ConditionNode): string {
  const n = node as Record<string, unknown>;
  const sub = (k: string): string => show(n[k] as ConditionNode);
  switch (node.type) {
    case 'Identifier': return String(n.name);
    case 'Literal': return JSON.stringify(n.value);
    case 'UnaryExpression': return `(${String(n.operator)} ${sub('argument')})`;
    case 'BinaryExpression': return `(${sub('left')} ${String(n.operator)} ${sub('right')})`;
    case 'Test': {
      const t = node as TestNode;
      return `(${show(t.subject)} is ${t.negate ? 'not ' : ''}${t.test})`;
    }
    case 'MemberExpression': return n.computed ? `${sub('object')}[${sub('property')}]` : `${sub('object')}.${String((n.property as Record<string, unknown>).name)}`;
    case 'CallExpression': return `${sub('callee')}(${(n.arguments as ConditionNode[]).map(show).join(', ')})`;
    case 'ArrayExpression': return `[${(n.elements as ConditionNode[]).map(show).join(', ')}]`;
    case 'ConditionalExpression': return `(${sub('test')} ? ${sub('consequent')} : ${sub('alternate')})`;
    default: return `<${node.type}>`;
  }
}
const tree = (text: string): string => show(parseCondition(text));

function syntaxError(text: string): ConditionError {
  try {
    parseCondition(text);
  } catch (err) {
    if (err instanceof ConditionError) return err;
    throw err;
  }
  throw new Error(`'${text}' parsed`);
}

describe('parseCondition', () => {
  it.each([
    // and binds tighter than or, comparisons tighter than both
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['a == 1 or b < 2 and c', '((a == 1) or ((b < 2) and c))'],
    ['1 + 2 * 3 == 7', '((1 + (2 * 3)) == 7)'],
    ['2 ** 3 ** 2', '(2 ** (3 ** 2))'],
    // not: looser than comparisons, tighter than and/or, as in Python
    ['not a == b', '(not (a == b))'],
    ['not a and b', '((not a) and b)'],
    ['not a or not b', '((not a) or (not b))'],
    ['not a + 1 == b', '(not ((a + 1) == b))'],
    ['not not a == b', '(not (not (a == b)))'],
    ['(not a) == b', '((not a) == b)'],
    ['a == 1 and not b == 2', '((a == 1) and (not (b == 2)))'],
    ['!a == b', '((! a) == b)'],
    // in / not in / is: at the level of < and >
    ['not x in y', '(not (x in y))'],
    ['x not in y', '(x not in y)'],
    ['x not   in y', '(x not in y)'],
    ["a + b in ['ab']", '((a + b) in ["ab"])'],
    ['x in y == false', '((x in y) == false)'],
    ['x is defined', '(x is defined)'],
    ['x is not defined', '(x is not defined)'],
    ['x is  not  Defined', '(x is not defined)'],
    ['not x is defined', '(not (x is defined))'],
    ['r is failed and r.rc != 0', '((r is failed) and (r.rc != 0))'],
    ['x is None', '(x is none)'],
    // nesting, members, calls, arrows
    ['((a or b) and (c or (d and not e)))', '((a or b) and (c or (d and (not e))))'],
    ['hostvars[h].x.stdout.split(\'\\t\')[0] != y', '(hostvars[h].x.stdout.split("\\t")[0] != y)'],
    ['x.not == x.in', '(x.not == x.in)'],
    ['a ? b : c or d', '(a ? b : (c or d))'],
    ['l.every((h) => h.a and h.b)', 'l.every((h => (h.a and h.b)))'],
    ['l.filter(h => h.x ? 1 : 0).length', 'l.filter((h => (h.x ? 1 : 0))).length'],
    ['True and None == none or False', '((true and (null == null)) or false)'],
  ])('%s  ->  %s', (text, expected) => {
    expect(tree(text)).toBe(expected);
  });

  it.each([
    ['n >', 'Expected expression after >', 3],
    ['n is frobbed', "unknown test 'frobbed'", 5],
    ['a b', "unexpected 'b'", 2],
    ["'x' in", "expected a value after 'in'", 4],
    ['not', "expected a value after 'not'", 0],
    ['x == (1', 'Unclosed (', 7],
    ["s == 'a", 'Unclosed quote', 7],
    ['this.x', "'this' is not available", 0],
    ['(a, b)', "unexpected ','", 0],
    ['(a.b) => a', "the parameters of '=>' must be names", 0],
  ])('%s: %s at index %i', (text, problem, index) => {
    const err = syntaxError(text);
    expect(err.kind).toBe('syntax');
    expect(err.problem).toContain(problem);
    expect(err.index).toBe(index);
  });

  it('collects names tested with is defined from the tree, not from strings', () => {
    expect(namesTestedDefined("a is defined and 'b is defined' == s and not (c is defined) and d.e is defined")).toEqual(['a', 'c']);
    expect(namesTestedDefined('a is not defined or b is undefined')).toEqual([]);
    expect(namesTestedDefined('a is')).toEqual([]);
  });
});
