// Conditions (`when`, `changed_when`, `failed_when`, `until`, `assert.that`): JavaScript expressions
// over the variables with Ansible's words translated (see conditions-translate.ts, docs/TEMPLATES.md).

import { UndefinedVariableError, type SourceLocation } from './errors.js';
import { ConditionSyntaxError, conditionError, translateCondition } from './conditions-translate.js';
import { evaluateExpressionRaw, renderValue } from './template.js';
import { isOpaque, toTemplateError, type TemplateVars } from './template-scope.js';

export type Condition = string | boolean | number | null | undefined;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isUndefinedError(err: unknown): boolean {
  return (
    err instanceof UndefinedVariableError ||
    (err instanceof ReferenceError && / is not defined$/.test(err.message)) ||
    // a.b.c where a.b is undefined: Ansible calls that undefined too
    (err instanceof TypeError && /of (undefined|null)/.test(err.message))
  );
}

/** The runtime side of the translated grammar (`__h` in the compiled expression). */
export const conditionHelpers = {
  test(name: string, thunk: () => unknown): boolean {
    if (name === 'defined' || name === 'undefined') {
      let defined: boolean;
      try {
        defined = thunk() !== undefined;
      } catch (err) {
        if (!isUndefinedError(err)) throw err;
        defined = false;
      }
      return name === 'defined' ? defined : !defined;
    }
    const v = thunk();
    if (isOpaque(v)) return true;
    const r = isRecord(v) ? v : {};
    switch (name) {
      case 'none': return v === null;
      case 'succeeded': case 'success': return r.failed !== true;
      case 'failed': case 'failure': return r.failed === true;
      case 'changed': case 'change': return r.changed === true;
      case 'skipped': case 'skip': return r.skipped === true;
      case 'string': return typeof v === 'string';
      case 'number': return typeof v === 'number';
      case 'boolean': return typeof v === 'boolean';
      case 'mapping': return isRecord(v);
      case 'sequence': return Array.isArray(v);
      case 'iterable': return typeof v === 'string' || Array.isArray(v) || v instanceof Set || v instanceof Map;
      case 'truthy': return Boolean(v);
      case 'falsy': return !v;
      default: return false;
    }
  },
  in(needle: unknown, haystack: unknown): boolean {
    if (isOpaque(haystack) || isOpaque(needle)) return true;
    if (Array.isArray(haystack)) return haystack.includes(needle);
    if (typeof haystack === 'string') return haystack.includes(String(needle));
    if (haystack instanceof Set || haystack instanceof Map) return haystack.has(needle);
    if (isRecord(haystack)) return Object.hasOwn(haystack, String(needle));
    return false;
  },
};

/**
 * Evaluates one condition to a boolean. YAML booleans/numbers are taken as they are; a string may hold
 * `<% %>` (rendered first, the result evaluated again when it is a string, as Ansible does).
 */
export function evaluateCondition(expr: Condition, vars: TemplateVars, loc: SourceLocation): boolean {
  if (typeof expr === 'boolean') return expr;
  if (typeof expr === 'number') return expr !== 0;
  if (expr === null || expr === undefined) return false;
  let text = expr;
  if (text.includes('<%')) {
    const rendered = renderValue(text, vars, loc);
    if (typeof rendered !== 'string') return Boolean(rendered);
    text = rendered;
  }
  if (text.trim() === '') return false;
  let js: string;
  try {
    js = translateCondition(text);
  } catch (err) {
    if (err instanceof ConditionSyntaxError) throw conditionError(text, err, loc);
    throw err;
  }
  try {
    return Boolean(evaluateExpressionRaw(js, vars, conditionHelpers));
  } catch (err) {
    throw toTemplateError(err, loc, `condition '${text}'`);
  }
}

/** A list of conditions: all must hold (an empty list holds). */
export function evaluateConditions(exprs: Condition | readonly Condition[], vars: TemplateVars, loc: SourceLocation): boolean {
  const list = Array.isArray(exprs) ? (exprs as readonly Condition[]) : [exprs as Condition];
  return list.every((e) => evaluateCondition(e, vars, loc));
}
