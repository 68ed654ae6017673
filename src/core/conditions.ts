// Conditions (`when`, `changed_when`, `failed_when`, `until`, `assert.that`): JavaScript expressions over
// the variables plus Ansible's words, parsed into a tree (condition-parse.ts) and evaluated on it
// (condition-eval.ts). Rules: docs/TEMPLATES.md.

import { ConditionError, type SourceLocation } from './errors.js';
import { parseCondition } from './condition-parse.js';
import { evaluateTree } from './condition-eval.js';
import { renderNested, renderValue } from './render.js';
import { lookupVariable, toTemplateError, type TemplateVars } from './template-scope.js';

export { namesTestedDefined } from './condition-parse.js';

export type Condition = string | boolean | number | null | undefined;

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
  try {
    const tree = parseCondition(text);
    return Boolean(evaluateTree(tree, (name) => lookupVariable(vars, name, renderNested)));
  } catch (err) {
    if (err instanceof ConditionError) throw err.location ? err : err.at(text, loc);
    throw toTemplateError(err, loc, `condition '${text}'`);
  }
}

/** A list of conditions: all must hold (an empty list holds). */
export function evaluateConditions(exprs: Condition | readonly Condition[], vars: TemplateVars, loc: SourceLocation): boolean {
  const list = Array.isArray(exprs) ? (exprs as readonly Condition[]) : [exprs as Condition];
  return list.every((e) => evaluateCondition(e, vars, loc));
}
