// The engine's use of templating: rendering task args per host, conditions, loop items.
// A module's condition arguments (its `conditionArgs`, e.g. assert's `that`) are evaluated, not rendered.

import type { SourceLocation } from '../core/errors.js';
import { formatLocation, ProvisionError } from '../core/errors.js';
import { evaluateCondition, renderTemplateText, renderValue } from '../core/template.js';
import type { ModuleDefinition } from '../modules/types.js';

export function conditionHolds(conditions: readonly (string | boolean)[] | undefined, vars: Record<string, unknown>, loc: SourceLocation): boolean {
  if (!conditions || conditions.length === 0) return true;
  return conditions.every((c) => (typeof c === 'boolean' ? c : evaluateCondition(c, vars, loc)));
}

/** Renders a task's args; the module's condition arguments become booleans (a list stays a list). */
export function renderArgs(args: unknown, vars: Record<string, unknown>, loc: SourceLocation, module?: Pick<ModuleDefinition, 'conditionArgs'>): unknown {
  const names = module?.conditionArgs ?? [];
  if (names.length === 0 || !args || typeof args !== 'object' || Array.isArray(args)) return renderValue(args, vars, loc);
  const rest: Record<string, unknown> = {};
  const conditions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (!names.includes(key)) rest[key] = value;
    else conditions[key] = Array.isArray(value) ? value.map((c) => evaluate(c, vars, loc)) : evaluate(value, vars, loc);
  }
  return { ...(renderValue(rest, vars, loc) as object), ...conditions };
}

/** A condition is a string expression or a boolean; anything else is left for the module's schema to reject. */
function evaluate(condition: unknown, vars: Record<string, unknown>, loc: SourceLocation): unknown {
  return typeof condition === 'string' || typeof condition === 'boolean' ? conditionHolds([condition], vars, loc) : condition;
}

export function renderLoopItems(loop: unknown, vars: Record<string, unknown>, loc: SourceLocation): unknown[] {
  const items = renderValue(loop, vars, loc);
  if (!Array.isArray(items)) {
    throw new ProvisionError(`loop must be a list, got ${items === null ? 'null' : typeof items}`);
  }
  return items;
}

export function renderFileTemplate(text: string, vars: Record<string, unknown>, file: string): string {
  return renderTemplateText(text, vars, file);
}

/** retries/delay: a number, or a template that must render to one (checked when the task runs). */
export function renderCount(value: number | string, keyword: string, vars: Record<string, unknown>, loc: SourceLocation): number {
  const rendered = typeof value === 'number' ? value : Number(renderValue(value, vars, loc));
  if (!Number.isInteger(rendered) || rendered < 0) {
    throw new ProvisionError(`${formatLocation(loc)}: ${keyword} must render to a whole number, got '${String(renderValue(value, vars, loc))}'`);
  }
  return rendered;
}
