// The engine's use of templating: rendering task args per host, conditions, loop items.
// Module-specific rendering rules live here (assert's `that` items are conditions, not strings).

import type { SourceLocation } from '../core/errors.js';
import { formatLocation, ProvisionError } from '../core/errors.js';
import { evaluateCondition, renderTemplateText, renderValue } from '../core/template.js';
import type { ModuleDefinition } from '../modules/types.js';

export function conditionHolds(conditions: readonly (string | boolean)[] | undefined, vars: Record<string, unknown>, loc: SourceLocation): boolean {
  if (!conditions || conditions.length === 0) return true;
  return conditions.every((c) => (typeof c === 'boolean' ? c : evaluateCondition(c, vars, loc)));
}

export function renderArgs(
  args: unknown,
  vars: Record<string, unknown>,
  loc: SourceLocation,
  module?: ModuleDefinition,
  moduleName?: string,
): unknown {
  const name = module?.name ?? moduleName;
  if (name === 'assert' && args && typeof args === 'object' && !Array.isArray(args)) {
    const { that, ...rest } = args as Record<string, unknown>;
    const conditions = (Array.isArray(that) ? that : [that]) as (string | boolean)[];
    return { ...(renderValue(rest, vars, loc) as object), that: conditions.map((c) => conditionHolds([c], vars, loc)) };
  }
  return renderValue(args, vars, loc);
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
