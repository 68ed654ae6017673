// Translates the Ansible-isms of `when:`-style conditions into JavaScript (grammar: docs/TEMPLATES.md):
//   and / or / not           -> && / || / !( ... )   (`not` binds looser than comparisons, as in Python)
//   X is [not] TEST          -> __h.test('TEST', () => (X))   (defined, undefined, none, succeeded, ...)
//   X [not] in Y             -> __h.in(X, Y)   (list membership, substring, mapping key)
//   True/False/None/none     -> true/false/null
// Operands of `is` and `in` are one postfix expression (a.b[c](d), a literal, or a parenthesised group).

import { InputError } from './errors.js';

type Kind = 'ws' | 'str' | 'num' | 'word' | 'punct' | 'code';
interface Token {
  kind: Kind;
  text: string;
}

export const CONDITION_TESTS = [
  'defined', 'undefined', 'none', 'succeeded', 'success', 'failed', 'failure', 'changed', 'change',
  'skipped', 'skip', 'string', 'number', 'boolean', 'mapping', 'sequence', 'iterable', 'truthy', 'falsy',
] as const;
const TESTS: ReadonlySet<string> = new Set(CONDITION_TESTS);

// Words that end an operand (never part of a value).
const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'typeof', 'instanceof', 'new', 'void', 'delete', 'if', 'else', 'return',
  'function', 'var', 'let', 'const',
]);
const WORDS: Record<string, string> = {
  and: '&&', or: '||', True: 'true', False: 'false', None: 'null', none: 'null',
};

const TOKEN = new RegExp(
  [
    String.raw`(?<ws>\s+)`,
    String.raw`(?<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\x60(?:[^\x60\\]|\\.)*\x60)`,
    String.raw`(?<num>\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)`,
    String.raw`(?<word>[A-Za-z_$][\w$]*)`,
    String.raw`(?<punct>===|!==|\?\.|\.\.\.|==|!=|<=|>=|&&|\|\||\?\?|=>|\*\*|[^\s])`,
  ].join('|'),
  'y',
);

export class ConditionSyntaxError extends Error {}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const m = TOKEN.exec(expr);
    const groups = m?.groups;
    if (!m || !groups) throw new ConditionSyntaxError(`unterminated string in condition '${expr}'`);
    const kind = (Object.keys(groups) as Kind[]).find((k) => groups[k] !== undefined) ?? 'punct';
    tokens.push({ kind, text: m[0] });
  }
  return tokens;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const isPunct = (t: Token | undefined, ...texts: string[]): boolean => t?.kind === 'punct' && texts.includes(t.text);
const isWord = (t: Token | undefined, ...texts: string[]): boolean => t?.kind === 'word' && texts.includes(t.text);
const isValueAtom = (t: Token | undefined): boolean =>
  t !== undefined && (t.kind === 'str' || t.kind === 'num' || t.kind === 'code' || (t.kind === 'word' && !KEYWORDS.has(t.text)));

function prevIndex(toks: Token[], i: number): number {
  let j = i - 1;
  while (j >= 0 && toks[j]?.kind === 'ws') j--;
  return j;
}
function nextIndex(toks: Token[], i: number): number {
  let j = i + 1;
  while (j < toks.length && toks[j]?.kind === 'ws') j++;
  return j;
}

function matchOpen(toks: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = toks[i];
    if (t?.kind !== 'punct') continue;
    if (CLOSE[t.text]) depth++;
    else if (OPEN[t.text] && --depth === 0) return i;
  }
  throw new ConditionSyntaxError(`unbalanced '${toks[close]?.text}'`);
}
function matchClose(toks: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    const t = toks[i];
    if (t?.kind !== 'punct') continue;
    if (OPEN[t.text]) depth++;
    else if (CLOSE[t.text] && --depth === 0) return i;
  }
  throw new ConditionSyntaxError(`unbalanced '${toks[open]?.text}'`);
}

/** Start index of the postfix expression that ends at `end`. */
function operandStart(toks: Token[], end: number, op: string): number {
  let i = end;
  for (;;) {
    const t = toks[i];
    let start: number;
    if (isPunct(t, ')', ']', '}')) start = matchOpen(toks, i);
    else if (isValueAtom(t)) start = i;
    else throw new ConditionSyntaxError(`expected a value before '${op}'`);
    const p = prevIndex(toks, start);
    const pt = toks[p];
    if (isPunct(pt, '.', '?.')) {
      i = prevIndex(toks, p);
      continue;
    }
    // a call or index: f(x), a[0], a.b(c)[d]
    if (isPunct(t, ')', ']') && (isValueAtom(pt) || isPunct(pt, ')', ']'))) {
      i = p;
      continue;
    }
    return start;
  }
}

/** End index of the postfix expression that starts at `start`. */
function operandEnd(toks: Token[], start: number, op: string): number {
  const t = toks[start];
  let end: number;
  if (isPunct(t, '(', '[', '{')) end = matchClose(toks, start);
  else if (isValueAtom(t)) end = start;
  else if (isPunct(t, '-', '+', '!')) return operandEnd(toks, nextIndex(toks, start), op);
  else throw new ConditionSyntaxError(`expected a value after '${op}'`);
  for (;;) {
    const n = nextIndex(toks, end);
    const nt = toks[n];
    if (isPunct(nt, '.', '?.')) {
      end = nextIndex(toks, n);
      continue;
    }
    if (isPunct(nt, '(', '[')) {
      end = matchClose(toks, n);
      continue;
    }
    return end;
  }
}

function splice(toks: Token[], from: number, to: number, code: string): void {
  toks.splice(from, to - from + 1, { kind: 'code', text: code });
}

function translateTokens(input: Token[]): string {
  const toks = [...input];
  const sub = (from: number, to: number): string => translateTokens(toks.slice(from, to + 1));

  // 1. X is [not] TEST
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'is') || isPunct(toks[prevIndex(toks, i)], '.', '?.')) continue;
    let n = nextIndex(toks, i);
    let negate = false;
    if (isWord(toks[n], 'not')) {
      negate = true;
      n = nextIndex(toks, n);
    }
    const test = toks[n];
    const testName = test?.text.toLowerCase() ?? '';
    if (test?.kind !== 'word' || !TESTS.has(testName)) {
      throw new ConditionSyntaxError(`unknown test '${test?.text ?? ''}' after 'is' (expected one of: ${CONDITION_TESTS.join(', ')})`);
    }
    const start = operandStart(toks, prevIndex(toks, i), 'is');
    const call = `__h.test(${JSON.stringify(testName)}, () => (${sub(start, prevIndex(toks, i))}))`;
    splice(toks, start, n, negate ? `(!${call})` : call);
    i = start;
  }

  // 2. X [not] in Y
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'in') || isPunct(toks[prevIndex(toks, i)], '.', '?.')) continue;
    let leftEnd = prevIndex(toks, i);
    const negate = isWord(toks[leftEnd], 'not');
    if (negate) leftEnd = prevIndex(toks, leftEnd);
    const start = operandStart(toks, leftEnd, 'in');
    const rightStart = nextIndex(toks, i);
    const end = operandEnd(toks, rightStart, 'in');
    const call = `__h.in(${sub(start, leftEnd)}, ${sub(rightStart, end)})`;
    splice(toks, start, end, negate ? `(!${call})` : call);
    i = start;
  }

  // 3. and / or / True / False / None
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t?.kind === 'word' && WORDS[t.text] && !isPunct(toks[prevIndex(toks, i)], '.', '?.')) {
      toks[i] = { kind: t.text === 'and' || t.text === 'or' ? 'punct' : 'word', text: WORDS[t.text] ?? t.text };
    }
  }

  // 4. not X (right to left so nested `not not x` works): X runs to the next and/or/?/:/, or close.
  for (let i = toks.length - 1; i >= 0; i--) {
    if (!isWord(toks[i], 'not') || isPunct(toks[prevIndex(toks, i)], '.', '?.')) continue;
    let depth = 0;
    let end = toks.length - 1;
    for (let j = i + 1; j < toks.length; j++) {
      const t = toks[j];
      if (t?.kind !== 'punct') continue;
      if (OPEN[t.text]) depth++;
      else if (CLOSE[t.text]) {
        if (depth === 0) {
          end = j - 1;
          break;
        }
        depth--;
      } else if (depth === 0 && ['&&', '||', '??', '?', ':', ','].includes(t.text)) {
        end = j - 1;
        break;
      }
    }
    const inner = toks.slice(i + 1, end + 1).map((t) => t.text).join('').trim();
    if (!inner) throw new ConditionSyntaxError(`expected a value after 'not'`);
    splice(toks, i, end, `!(${inner})`);
  }
  return toks.map((t) => t.text).join('');
}

const cache = new Map<string, string>();

/** The JavaScript for a condition (cached). Throws ConditionSyntaxError for a malformed one. */
export function translateCondition(expr: string): string {
  let js = cache.get(expr);
  if (js === undefined) {
    js = translateTokens(tokenize(expr));
    cache.set(expr, js);
  }
  return js;
}

/** Names tested with `NAME is defined` (not negated) in a condition: validation treats them as known. */
export function namesTestedDefined(expr: string): string[] {
  const names: string[] = [];
  const re = /(?:^|[^\w$.])([A-Za-z_$][\w$]*)\s+is\s+defined\b/g;
  for (const m of expr.matchAll(re)) if (m[1]) names.push(m[1]);
  return names;
}

export function conditionError(expr: string, err: ConditionSyntaxError, loc: import('./errors.js').SourceLocation | undefined): InputError {
  return new InputError(`invalid condition '${expr}': ${err.message}`, loc, 'conditions are JavaScript expressions plus and/or/not, is [not] defined, in (see docs/TEMPLATES.md)');
}
