// Parses a condition (`when:`, `failed_when:`, `changed_when:`, `until:`, assert's `that:`) into a tree
// with jsep: JavaScript expressions plus Ansible's words. The tree is evaluated by condition-eval.ts;
// nothing is turned back into JavaScript text. Grammar: docs/TEMPLATES.md.
//   a or b, a and b          binary, like || and && (`and` binds tighter)
//   not a                    unary, looser than comparisons: `not a == b` is `not (a == b)`, as in Python
//   a in b, a not in b       membership, at the level of < and >
//   a is [not] TEST          a test (defined, failed, ...), same level; becomes a Test node
//   True/False/None/none     literals;  typeof a;  (x) => body  (for list.filter, list.every)

import jsep from 'jsep';
import { ConditionError } from './errors.js';

/** A jsep node with where it starts and ends in the condition (set on tokens and binary nodes). */
export type ConditionNode = jsep.Expression & { start?: number; end?: number; parenthesized?: boolean };

/** `subject is [not] test`, made from jsep's `is` node once the test name is checked. */
export interface TestNode extends jsep.Expression {
  type: 'Test';
  subject: ConditionNode;
  test: ConditionTest;
  negate: boolean;
}

export const CONDITION_TESTS = [
  'defined', 'undefined', 'none', 'succeeded', 'success', 'failed', 'failure', 'changed', 'change',
  'skipped', 'skip', 'string', 'number', 'boolean', 'mapping', 'sequence', 'iterable', 'truthy', 'falsy',
] as const;
export type ConditionTest = (typeof CONDITION_TESTS)[number];
const isConditionTest = (name: string): name is ConditionTest => (CONDITION_TESTS as readonly string[]).includes(name);

// jsep keeps its operators in global tables: this file is the only one that configures or uses jsep.
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
for (const op of ['in', 'not in', 'is']) jsep.addBinaryOp(op, 7);
jsep.addBinaryOp('=>', 0.1, true);
jsep.addUnaryOp('not');
jsep.addUnaryOp('typeof');
jsep.addLiteral('True', true);
jsep.addLiteral('False', false);
jsep.addLiteral('None', null);
jsep.addLiteral('none', null);

/** Operators that bind looser than `not`: `not a and b` is `(not a) and b`. */
const LOOSER_THAN_NOT = new Set(['or', 'and', '||', '&&', '??', '=>']);

interface JsepParser {
  index: number;
  readonly expr: string;
  gobbleSpaces(): void;
  gobbleBinaryOp(): string | false;
  gobbleToken(): ConditionNode | false;
  gobbleIdentifier(): ConditionNode;
  parse(): ConditionNode;
}
const JsepBase = (jsep as unknown as { Jsep: new (expr: string) => JsepParser }).Jsep;

const NOT_IN = /^not\s+in(?![\w$])/;

class ConditionParser extends JsepBase {
  /** jsep matches operators as fixed text: `not in` with any space between the words is ours. */
  override gobbleBinaryOp(): string | false {
    this.gobbleSpaces();
    const m = NOT_IN.exec(this.expr.slice(this.index));
    if (m) {
      this.index += m[0].length;
      return 'not in';
    }
    return super.gobbleBinaryOp();
  }

  override gobbleIdentifier(): ConditionNode {
    const start = this.index;
    const node = super.gobbleIdentifier();
    node.start = start;
    node.end = this.index;
    return node;
  }

  /** Each token remembers where it is, for error positions. */
  override gobbleToken(): ConditionNode | false {
    this.gobbleSpaces();
    const start = this.index;
    const node = super.gobbleToken();
    if (node) {
      // A unary token starts with its operator: one that starts with '(' was written in parentheses.
      if (node.type === 'UnaryExpression' && this.expr[start] === '(') node.parenthesized = true;
      node.start = start;
      node.end = this.index;
    }
    return node;
  }
}

const syntax = (problem: string, node?: ConditionNode): ConditionError => new ConditionError('syntax', problem, node?.start);

/** A node written back as text, for messages such as "x.y is not a function". */
export function describe(node: ConditionNode): string {
  switch (node.type) {
    case 'Identifier':
      return String(node.name);
    case 'Literal':
      return String(node.raw);
    case 'MemberExpression': {
      const property = node.property as ConditionNode;
      const dot = node.optional ? '?.' : '.';
      return `${describe(node.object as ConditionNode)}${node.computed ? `${node.optional ? '?.' : ''}[${describe(property)}]` : `${dot}${describe(property)}`}`;
    }
    case 'CallExpression':
      return `${describe(node.callee as ConditionNode)}(${(node.arguments as ConditionNode[]).map(describe).join(', ')})`;
    case 'UnaryExpression':
      return `${String(node.operator)}${/^\w/.test(String(node.operator)) ? ' ' : ''}${describe(node.argument as ConditionNode)}`;
    case 'BinaryExpression':
      return `${describe(node.left as ConditionNode)} ${String(node.operator)} ${describe(node.right as ConditionNode)}`;
    case 'ArrayExpression':
      return `[${(node.elements as (ConditionNode | null)[]).map((e) => (e ? describe(e) : '')).join(', ')}]`;
    default:
      return '…';
  }
}

/** Words of the grammar: never a variable's name. */
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'in', 'is']);

/** `not a == b` was read as `(not a) == b`: move the `not` out, as many times as it is nested. */
function hoistNot(node: ConditionNode, left: ConditionNode, rebuild: (left: ConditionNode) => ConditionNode): ConditionNode {
  if (left.type !== 'UnaryExpression' || left.operator !== 'not' || left.parenthesized) return rebuild(left);
  const inner = hoistNot(node, left.argument as ConditionNode, rebuild);
  return { type: 'UnaryExpression', operator: 'not', argument: inner, prefix: true, start: left.start, end: node.end };
}

function testOf(node: ConditionNode): { test: ConditionTest; negate: boolean } {
  let negate = false;
  let target = node;
  if (target.type === 'UnaryExpression' && target.operator === 'not') {
    negate = true;
    target = target.argument as ConditionNode;
  }
  const word = target.type === 'Identifier' ? String(target.name) : target.type === 'Literal' ? String(target.raw) : describe(target);
  const name = word.toLowerCase();
  if (!isConditionTest(name)) {
    throw syntax(`unknown test '${word}' after 'is' (expected one of: ${CONDITION_TESTS.join(', ')})`, target);
  }
  return { test: name, negate };
}

/** Checks the tree against the grammar and gives it its final shape (Test nodes, `not` hoisted). */
function shape(node: ConditionNode): ConditionNode {
  const sub = (n: unknown): ConditionNode => shape(n as ConditionNode);
  switch (node.type) {
    case 'Literal':
      return node;
    case 'Identifier':
      if (OPERATOR_WORDS.has(String(node.name))) throw syntax(`expected a value after '${String(node.name)}'`, node);
      return node;
    case 'Compound': {
      const extra = (node.body as ConditionNode[])[1];
      if (extra?.type === 'Identifier' && OPERATOR_WORDS.has(String(extra.name))) return sub(extra);
      throw syntax(`unexpected '${extra ? describe(extra) : ''}' (an operator is missing before it)`, extra);
    }
    case 'ThisExpression':
      throw syntax(`'this' is not available in conditions`, node);
    case 'SequenceExpression':
      throw syntax(`unexpected ',' (a list is written [a, b])`, node);
    case 'ArrayExpression':
      return { ...node, elements: (node.elements as (ConditionNode | null)[]).map((e) => (e ? sub(e) : null)) };
    case 'MemberExpression': {
      const written = node.object as ConditionNode;
      // `this` and groups inside a chain get no position of their own: the chain's is close enough
      const object = sub(written.start === undefined ? { ...written, start: node.start } : written);
      return { start: object.start, ...node, object, property: node.computed ? sub(node.property) : (node.property as ConditionNode) };
    }
    case 'CallExpression': {
      const callee = sub(node.callee);
      return { start: callee.start, ...node, callee, arguments: (node.arguments as ConditionNode[]).map(sub) };
    }
    case 'ConditionalExpression':
      return { ...node, test: sub(node.test), consequent: sub(node.consequent), alternate: sub(node.alternate) };
    case 'UnaryExpression':
      return { ...node, argument: sub(node.argument) };
    case 'BinaryExpression': {
      const left = node.left as ConditionNode;
      const span = { start: left.start, end: (node.right as ConditionNode).end };
      if (node.operator === '=>') {
        const params = left.type === 'SequenceExpression' ? (left.expressions as ConditionNode[]) : [left];
        const bad = params.find((p) => p.type !== 'Identifier');
        if (bad) throw syntax(`the parameters of '=>' must be names`, bad);
        return { ...node, ...span, right: sub(node.right) };
      }
      if (LOOSER_THAN_NOT.has(String(node.operator))) return { ...node, ...span, left: sub(left), right: sub(node.right) };
      if (node.operator === 'is') {
        const { test, negate } = testOf(node.right as ConditionNode);
        return hoistNot(node, sub(left), (subject): TestNode => ({ type: 'Test', subject, test, negate, ...span, start: subject.start }));
      }
      const right = sub(node.right);
      return hoistNot(node, sub(left), (l) => ({ ...node, ...span, start: l.start, left: l, right }));
    }
    default:
      throw syntax(`unsupported expression (${node.type})`, node);
  }
}

const trees = new Map<string, ConditionNode>();

/** The tree of a condition (cached by text). Throws ConditionError (syntax) for a malformed one. */
export function parseCondition(text: string): ConditionNode {
  let tree = trees.get(text);
  if (tree === undefined) {
    let raw: ConditionNode;
    try {
      raw = new ConditionParser(text).parse();
    } catch (err) {
      const { description, index } = err as { description?: unknown; index?: unknown };
      if (typeof description !== 'string') throw err;
      throw new ConditionError('syntax', description, typeof index === 'number' ? index : undefined);
    }
    tree = shape(raw);
    trees.set(text, tree);
  }
  return tree;
}

/** Names tested with `NAME is defined` (not negated) in a condition: validation treats them as known. */
export function namesTestedDefined(text: string): string[] {
  let tree: ConditionNode;
  try {
    tree = parseCondition(text);
  } catch {
    return []; // evaluating the condition reports it
  }
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null || !('type' in value)) return;
    const node = value as ConditionNode;
    if (node.type === 'Test') {
      const t = node as TestNode;
      if (t.test === 'defined' && !t.negate && t.subject.type === 'Identifier') names.push(String(t.subject.name));
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'type') visit(child);
  };
  visit(tree);
  return names;
}
