// EJS rendering for `.ejs` files and `<%= %>` inside any string value (args, vars, loop, ...): templates
// and `<%= %>` expressions are compiled here, once, and run over the variables. Conditions use this for
// their `<% %>` parts, and template.ts re-exports it: both import this module, neither imports the other.
// Output is never HTML-escaped: these are configuration files, not web pages. Rules: docs/TEMPLATES.md.

import ejs from 'ejs';
import type { SourceLocation } from './errors.js';
import { templateSyntaxError } from './template-syntax.js';
import { forgetUnresolvedName, hasTemplate, scopeFor, toTemplateError, type TemplateVars } from './template-scope.js';

/** Where a value came from: one location, or a function locating a path inside the value. */
export type ValueLocation = SourceLocation | ((path: readonly (string | number)[]) => SourceLocation);

type Compiled = (scope: object) => unknown;

/** `<%=`/`<%-` output: raw strings; plain objects as JSON (String would print "[object Object]"). */
function printValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return JSON.stringify(value);
  }
  return String(value);
}

interface EjsCompileOptions {
  escape: (value: unknown) => string;
  filename?: string;
  compileDebug: boolean;
  unsafePrototypeLocals: boolean;
  _with: boolean;
  strict: boolean;
}

function compileEjs(text: string, filename: string | undefined): Compiled {
  const options: EjsCompileOptions = {
    escape: printValue,
    compileDebug: filename !== undefined, // line numbers only matter for files
    // Pass our scope proxy as is: ejs would otherwise copy it into a plain object and lose the lookup.
    unsafePrototypeLocals: true,
    _with: true,
    strict: false,
    ...(filename !== undefined ? { filename } : {}),
  };
  const fn = ejs.compile(text, options as unknown as ejs.Options) as unknown as (data: object) => string;
  return (scope) => {
    forgetUnresolvedName();
    return fn(scope);
  };
}

/** A `<%= expr %>` expression: `new Function` with the variables as a `with` scope. */
function compileExpression(js: string): Compiled {
  const fn = new Function('__scope', `with (__scope) { return (\n${js}\n); }`) as Compiled;
  return (scope) => {
    forgetUnresolvedName();
    return fn(scope);
  };
}

// Compiled once, rendered per host per task.
const stringTemplates = new Map<string, Compiled>();
const fileTemplates = new Map<string, Compiled>();
const expressions = new Map<string, Compiled>();

const SINGLE_EXPRESSION = /^<%[=-]([\s\S]*?)-?%>$/;

/** The expression of a string that is exactly one `<%= expr %>`, else undefined. */
export function singleExpression(text: string): string | undefined {
  const m = SINGLE_EXPRESSION.exec(text);
  if (!m?.[1] || m[1].includes('%>') || m[1].includes('<%')) return undefined;
  return m[1].trim();
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function evaluateExpression(js: string, vars: TemplateVars): unknown {
  const fn = cached(expressions, js, () => compileExpression(js));
  return fn(scopeFor(vars, renderNested));
}

function renderStringUnlocated(text: string, vars: TemplateVars): unknown {
  if (!text.includes('<%')) return text;
  const expr = singleExpression(text);
  if (expr !== undefined) return evaluateExpression(expr, vars);
  const fn = cached(stringTemplates, text, () => compileEjs(text, undefined));
  return fn(scopeFor(vars, renderNested));
}

/** Deep render that throws unlocated errors (for variables whose values are templates); the public functions add the location. */
export function renderNested(value: unknown, vars: TemplateVars): unknown {
  if (!hasTemplate(value)) return value;
  if (typeof value === 'string') return renderStringUnlocated(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderNested(v, vars));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = renderNested(v, vars);
  return out;
}

function locationOf(loc: ValueLocation, path: readonly (string | number)[]): SourceLocation {
  return typeof loc === 'function' ? loc(path) : loc;
}

function renderLocated(value: unknown, vars: TemplateVars, loc: ValueLocation, path: (string | number)[]): unknown {
  if (!hasTemplate(value)) return value;
  if (typeof value === 'string') {
    try {
      return renderStringUnlocated(value, vars);
    } catch (err) {
      throw toTemplateError(err, locationOf(loc, path), 'template');
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => renderLocated(v, vars, loc, [...path, i]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = renderLocated(v, vars, loc, [...path, k]);
  return out;
}

/**
 * Renders every string inside `value` (deeply; keys are left alone). A string that is exactly one
 * `<%= expr %>` keeps the expression's type (number, list, object); other strings render to strings.
 * Values without templates are returned as they are (same object).
 */
export function renderValue(value: unknown, vars: TemplateVars, loc: ValueLocation): unknown {
  return renderLocated(value, vars, loc, []);
}

/** Renders one string to a string (for names, paths, messages). */
export function renderString(text: string, vars: TemplateVars, loc: ValueLocation): string {
  return printValue(renderValue(text, vars, loc));
}

/**
 * Where ejs says a file template failed. ejs 7 has no other channel for it: its `rethrow` marks the error
 * with `path` and puts `path:line`, a few lines of context and a blank line before the original message.
 * A compile error has no `path`; its first line is the engine's own message.
 */
function ejsFailure(err: unknown): { line?: number; original?: string } {
  if (!(err instanceof Error)) return {};
  const path = (err as Error & { path?: unknown }).path;
  if (typeof path !== 'string' || !err.message.startsWith(`${path}:`)) return { original: err.message };
  const firstBreak = err.message.indexOf('\n');
  const line = Number(err.message.slice(path.length + 1, firstBreak));
  const contextEnd = err.message.indexOf('\n\n', firstBreak);
  return {
    ...(Number.isInteger(line) && line > 0 ? { line } : {}),
    original: contextEnd < 0 ? err.message : err.message.slice(contextEnd + 2),
  };
}

/** Renders a `.ejs` file's text; errors name the template file and the line inside it. */
export function renderTemplateText(text: string, vars: TemplateVars, file: string): string {
  try {
    const fn = cached(fileTemplates, `${file}\0${text}`, () => compileEjs(text, file));
    return String(fn(scopeFor(vars, renderNested)));
  } catch (err) {
    const { line, original } = ejsFailure(err);
    // ejs's compile errors name no line: the syntax check finds it.
    const syntax = err instanceof SyntaxError && !line ? templateSyntaxError(text, file) : undefined;
    if (syntax) throw syntax;
    throw toTemplateError(err, { file, ...(line ? { line, col: 1 } : {}) }, 'template', original);
  }
}
