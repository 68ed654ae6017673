// Evaluates a condition's tree (condition-parse.ts) over the variables: JavaScript's operators on the
// values, Ansible's tests and `in`, names from the variables (or a short list of JS globals), member
// reads and calls. No `new Function` and no `with`: a condition reads values and calls the functions it
// can reach, and the ways from there to running code (Function, eval, constructor, __proto__...) are shut.

import { ConditionError, ProvisionError, UndefinedPropertyError, UndefinedVariableError } from './errors.js';
import { describe, type ConditionNode, type TestNode } from './condition-parse.js';
import { contains, passesTest } from './condition-tests.js';
import { MISSING } from './template-scope.js';

/** Finds a variable by name; MISSING when nothing defines it. */
export type VariableLookup = (name: string) => unknown;

/** Parameters of the arrow functions being evaluated, innermost first. */
interface Scope {
  readonly names: ReadonlyMap<string, unknown>;
  readonly outer: Scope | undefined;
}

interface Context {
  readonly lookup: VariableLookup;
  readonly scope: Scope | undefined;
}

/** JavaScript globals a condition may use when no variable has the name. */
const GLOBALS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['undefined', undefined], ['NaN', NaN], ['Infinity', Infinity],
  ['Math', Math], ['JSON', JSON], ['String', String], ['Number', Number], ['Boolean', Boolean],
  ['Array', Array], ['Object', Object], ['Date', Date], ['RegExp', RegExp],
  ['parseInt', parseInt], ['parseFloat', parseFloat], ['isNaN', isNaN], ['isFinite', isFinite],
  ['encodeURIComponent', encodeURIComponent], ['decodeURIComponent', decodeURIComponent],
]);

/** Property names that lead to prototypes and constructors, hence to Function. */
const FORBIDDEN_KEYS = new Set([
  'constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__',
  '__lookupSetter__', 'caller', 'callee', 'arguments',
]);

/** Values a condition may never hold: what makes code from text, and what reaches or changes prototypes. */
const FORBIDDEN_VALUES: ReadonlySet<unknown> = new Set<unknown>([
  Function,
  Object.getPrototypeOf(async () => undefined).constructor,
  Object.getPrototypeOf(function* () {}).constructor,
  Object.getPrototypeOf(async function* () {}).constructor,
  globalThis.eval,
  Function.prototype.call, Function.prototype.apply, Function.prototype.bind,
  Object.getPrototypeOf, Object.setPrototypeOf, Object.getOwnPropertyDescriptor, Object.getOwnPropertyDescriptors,
  Object.defineProperty, Object.defineProperties,
]);

// JavaScript's own operators on whatever values a condition has: `any` only quiets the type checker.
const OPERATORS: Readonly<Record<string, (a: any, b: any) => unknown>> = {
  '==': (a, b) => a == b, '!=': (a, b) => a != b, '===': (a, b) => a === b, '!==': (a, b) => a !== b,
  '<': (a, b) => a < b, '>': (a, b) => a > b, '<=': (a, b) => a <= b, '>=': (a, b) => a >= b,
  '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b,
  '%': (a, b) => a % b, '**': (a, b) => a ** b,
  '|': (a, b) => a | b, '^': (a, b) => a ^ b, '&': (a, b) => a & b,
  '<<': (a, b) => a << b, '>>': (a, b) => a >> b, '>>>': (a, b) => a >>> b,
};
const UNARY: Readonly<Record<string, (a: any) => unknown>> = {
  '!': (a) => !a, not: (a) => !a, '-': (a) => -a, '+': (a) => +a, '~': (a) => ~a, typeof: (a) => typeof a,
};

/** Ends an optional chain (`a?.b.c` when `a` is null): the whole chain is undefined. */
const SHORT_CIRCUIT: unique symbol = Symbol('short-circuit');

function guard(value: unknown, node: ConditionNode, ctx: Context): unknown {
  if (FORBIDDEN_VALUES.has(value)) throw new ConditionError('syntax', `'${describe(node)}' is not available in conditions`, node.start);
  return value;
}

function resolveName(name: string, ctx: Context): unknown {
  for (let s = ctx.scope; s; s = s.outer) if (s.names.has(name)) return s.names.get(name);
  const value = ctx.lookup(name);
  if (value !== MISSING) return value;
  return GLOBALS.has(name) ? GLOBALS.get(name) : MISSING;
}

function propertyKey(member: ConditionNode, ctx: Context): string | number {
  const property = member.property as ConditionNode;
  if (!member.computed) return String(property.name);
  const key = evaluate(property, ctx);
  if (typeof key === 'string' || typeof key === 'number') return key;
  throw new ConditionError('runtime', `'${describe(property)}' is not a string or a number, so it cannot name a property`, property.start);
}

function readProperty(object: unknown, member: ConditionNode, ctx: Context): unknown {
  const key = propertyKey(member, ctx);
  if (FORBIDDEN_KEYS.has(String(key))) {
    throw new ConditionError('syntax', `'${String(key)}' cannot be read in conditions`, (member.property as ConditionNode).start ?? member.start);
  }
  if (object === undefined || object === null) throw new UndefinedPropertyError(String(key), object === null ? 'null' : 'undefined');
  return guard((object as Record<string | number, unknown>)[key], member, ctx);
}

/** A member read or call, as part of a chain that `?.` may cut short. */
function chainLink(node: ConditionNode, ctx: Context): unknown {
  if (node.type === 'MemberExpression') {
    const object = chainLink(node.object as ConditionNode, ctx);
    if (object === SHORT_CIRCUIT || (node.optional && (object === undefined || object === null))) return SHORT_CIRCUIT;
    return readProperty(object, node, ctx);
  }
  if (node.type !== 'CallExpression') return evaluate(node, ctx);
  const callee = node.callee as ConditionNode;
  let self: unknown;
  let fn: unknown;
  if (callee.type === 'MemberExpression') {
    self = chainLink(callee.object as ConditionNode, ctx);
    if (self === SHORT_CIRCUIT || (callee.optional && (self === undefined || self === null))) return SHORT_CIRCUIT;
    fn = readProperty(self, callee, ctx);
  } else {
    fn = chainLink(callee, ctx);
    if (fn === SHORT_CIRCUIT) return SHORT_CIRCUIT;
  }
  if (node.optional && (fn === undefined || fn === null)) return SHORT_CIRCUIT;
  if (typeof fn !== 'function') throw new ConditionError('runtime', `${describe(callee)} is not a function`, callee.start);
  const args = (node.arguments as ConditionNode[]).map((a) => evaluate(a, ctx));
  let result: unknown;
  try {
    result = Reflect.apply(fn, self, args);
  } catch (err) {
    if (err instanceof ProvisionError) throw err; // from a condition's own arrow function
    const message = err instanceof Error ? err.message : String(err);
    throw new ConditionError('runtime', `${describe(node)}: ${message.split('\n')[0]}`, node.start);
  }
  return guard(result, node, ctx);
}

function arrowFunction(node: ConditionNode, ctx: Context): (...args: unknown[]) => unknown {
  const left = node.left as ConditionNode;
  const params = (left.type === 'SequenceExpression' ? (left.expressions as ConditionNode[]) : [left]).map((p) => String(p.name));
  const body = node.right as ConditionNode;
  return (...args: unknown[]) =>
    evaluate(body, { ...ctx, scope: { names: new Map(params.map((p, i) => [p, args[i]])), outer: ctx.scope } });
}

function evaluateTest(node: TestNode, ctx: Context): boolean {
  let result: boolean;
  if (node.test === 'defined' || node.test === 'undefined') {
    let defined: boolean;
    try {
      defined = evaluate(node.subject, ctx) !== undefined;
    } catch (err) {
      if (!(err instanceof UndefinedVariableError || err instanceof UndefinedPropertyError)) throw err;
      defined = false;
    }
    result = node.test === 'defined' ? defined : !defined;
  } else {
    result = passesTest(node.test, evaluate(node.subject, ctx));
  }
  return node.negate ? !result : result;
}

function evaluateBinary(node: ConditionNode, ctx: Context): unknown {
  const op = String(node.operator);
  if (op === '=>') return arrowFunction(node, ctx);
  const left = evaluate(node.left as ConditionNode, ctx);
  const right = (): unknown => evaluate(node.right as ConditionNode, ctx);
  switch (op) {
    case 'and': case '&&': return left ? right() : left;
    case 'or': case '||': return left ? left : right();
    case '??': return left ?? right();
    case 'in': return contains(right(), left);
    case 'not in': return !contains(right(), left);
  }
  const operator = OPERATORS[op];
  if (!operator) throw new ConditionError('syntax', `unsupported operator '${op}'`, node.start);
  return operator(left, right());
}

function evaluate(node: ConditionNode, ctx: Context): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier': {
      const name = String(node.name);
      const value = resolveName(name, ctx);
      if (value === MISSING) throw new UndefinedVariableError(name);
      return guard(value, node, ctx);
    }
    case 'ArrayExpression':
      return (node.elements as (ConditionNode | null)[]).map((e) => (e ? evaluate(e, ctx) : undefined));
    case 'ConditionalExpression':
      return evaluate(node.test as ConditionNode, ctx) ? evaluate(node.consequent as ConditionNode, ctx) : evaluate(node.alternate as ConditionNode, ctx);
    case 'UnaryExpression': {
      const argument = node.argument as ConditionNode;
      // `typeof name` of a name nothing defines is 'undefined', as in JavaScript
      if (node.operator === 'typeof' && argument.type === 'Identifier') {
        const value = resolveName(String(argument.name), ctx);
        return value === MISSING ? 'undefined' : typeof guard(value, argument, ctx);
      }
      const operator = UNARY[String(node.operator)];
      if (!operator) throw new ConditionError('syntax', `unsupported operator '${String(node.operator)}'`, node.start);
      return operator(evaluate(argument, ctx));
    }
    case 'BinaryExpression':
      return evaluateBinary(node, ctx);
    case 'Test':
      return evaluateTest(node as TestNode, ctx);
    case 'MemberExpression':
    case 'CallExpression': {
      const value = chainLink(node, ctx);
      return value === SHORT_CIRCUIT ? undefined : value;
    }
    default:
      throw new ConditionError('syntax', `unsupported expression (${node.type})`, node.start);
  }
}

/** The value of a parsed condition (not yet made a boolean). Throws ConditionError, UndefinedVariableError. */
export function evaluateTree(tree: ConditionNode, lookup: VariableLookup): unknown {
  return evaluate(tree, { lookup, scope: undefined });
}
