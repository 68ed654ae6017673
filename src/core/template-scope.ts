// Variable lookup for templates and conditions. EJS templates and `<%= %>` expressions run with a Proxy
// as their `with` scope, so that a name no scope defines fails instead of being a silent `undefined`,
// while JS globals (Math, JSON, parseInt, ...) still resolve because the proxy does not claim them.
// Conditions look names up directly (lookupVariable), without `with`.

import { InputError, TemplateError, UndefinedVariableError, type SourceLocation } from './errors.js';

export { TemplateError };

/**
 * Optional hook on a vars object: names that exist only at run time (registered results, facts)
 * resolve to what it returns instead of being undefined. Used by validation (see validate-variables).
 */
export const RUNTIME_FALLBACK: unique symbol = Symbol('provision.runtimeFallback');
/** Marks a lazy object (hostvars) that must not be walked when looking for templates. */
export const NOT_TEMPLATED: unique symbol = Symbol('provision.notTemplated');

export type TemplateVars = Record<string, unknown> & {
  [RUNTIME_FALLBACK]?: (name: string) => unknown;
};

/** Renders a templated variable value with the same vars (lazy variables, like Ansible's). */
export type NestedRenderer = (value: unknown, vars: TemplateVars) => unknown;

// Names the compiled functions use themselves: the scope must never shadow them.
const RESERVED = new Set(['locals', 'escapeFn', 'include', 'rethrow']);
const isReserved = (name: string): boolean => name.startsWith('__') || RESERVED.has(name);
/** What lookupVariable returns for a name that nothing defines. */
export const MISSING: unique symbol = Symbol('missing');

const templatedCache = new WeakMap<object, boolean>();

/** True when a string holds `<%`, or an array/plain object holds such a string (cached per object). */
export function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('<%');
  if (value === null || typeof value !== 'object') return false;
  if ((value as Record<symbol, unknown>)[NOT_TEMPLATED]) return false;
  const cached = templatedCache.get(value);
  if (cached !== undefined) return cached;
  const proto: unknown = Object.getPrototypeOf(value);
  let result = false;
  if (Array.isArray(value)) result = value.some(hasTemplate);
  else if (proto === Object.prototype || proto === null) result = Object.values(value).some(hasTemplate);
  templatedCache.set(value, result);
  return result;
}

/**
 * The last name a compiled template looked up that no variable and no JS global defines. V8 then throws
 * a ReferenceError (unless the lookup was `typeof name`): this names the variable without reading V8's
 * message. Cleared before each compiled template runs (forgetUnresolvedName).
 */
let unresolvedName: string | undefined;

export function forgetUnresolvedName(): void {
  unresolvedName = undefined;
}

/**
 * Turns what a compiled template/expression threw into a located, user-facing error. `original` is the
 * error's own text when a wrapper (ejs) added to its message.
 */
export function toTemplateError(err: unknown, loc: SourceLocation | undefined, what: string, original?: string): InputError {
  if (err instanceof UndefinedVariableError) {
    return err.location || !loc ? err : new UndefinedVariableError(err.variable, loc, err.hint);
  }
  if (err instanceof TemplateError) return err.location || !loc ? err : new TemplateError(err.kind, err.detail, loc, err.hint);
  if (err instanceof InputError) return err.location || !loc ? err : new InputError(err.detail, loc, err.hint);
  if (err instanceof ReferenceError && unresolvedName !== undefined) {
    const name = unresolvedName;
    unresolvedName = undefined;
    return new UndefinedVariableError(name, loc);
  }
  const text = (original ?? (err instanceof Error ? err.message : String(err))).split('\n')[0];
  if (err instanceof SyntaxError) return new TemplateError('syntax', `invalid ${what}: ${text}`, loc);
  return new TemplateError('runtime', `${what} failed: ${text}`, loc);
}

const resolving = new WeakMap<object, Set<string>>();

/** Looks a name up: own vars (templated values rendered lazily), `vars` itself, then the runtime fallback. */
export function lookupVariable(vars: TemplateVars, name: string, render: NestedRenderer): unknown {
  if (Object.hasOwn(vars, name)) {
    const value = vars[name];
    if (!hasTemplate(value)) return value;
    let active = resolving.get(vars);
    if (!active) resolving.set(vars, (active = new Set()));
    if (active.has(name)) throw new InputError(`variable '${name}' refers to itself (through ${[...active].join(' -> ')})`);
    active.add(name);
    try {
      return render(value, vars);
    } catch (err) {
      const e = toTemplateError(err, undefined, `value of variable '${name}'`);
      if (e instanceof UndefinedVariableError && !e.hint) {
        throw new UndefinedVariableError(e.variable, undefined, `in the value of variable '${name}'`);
      }
      throw e;
    } finally {
      active.delete(name);
    }
  }
  if (name === 'vars') return varsView(vars, render);
  const fallback = vars[RUNTIME_FALLBACK];
  if (fallback) {
    const v = fallback(name);
    if (v !== undefined) return v;
  }
  return MISSING;
}

/**
 * Whether a name resolves, without rendering an own variable's value: `with` asks `has` and then
 * `get` for every name a template reads, and rendering in both made each templated variable render
 * twice, and a chain of n templated variables 2^n times.
 */
function isDefined(vars: TemplateVars, name: string, render: NestedRenderer): boolean {
  return Object.hasOwn(vars, name) || name === 'vars' || lookupVariable(vars, name, render) !== MISSING;
}

/** Ansible's `vars`: every variable by name, undefined (not an error) when missing: `vars.x ?? 'default'`. */
function varsView(vars: TemplateVars, render: NestedRenderer): Record<string, unknown> {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const v = lookupVariable(vars, key, render);
      return v === MISSING ? undefined : v;
    },
    has: (_t, key) => typeof key === 'string' && isDefined(vars, key, render),
    ownKeys: () => Object.keys(vars),
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && Object.hasOwn(vars, key)
        ? { configurable: true, enumerable: true, value: lookupVariable(vars, key, render) }
        : undefined,
  });
}

const scopes = new WeakMap<object, object>();

/** The `with` scope object for a vars record (one per record, reused across renders). */
export function scopeFor(vars: TemplateVars, render: NestedRenderer): object {
  let scope = scopes.get(vars);
  if (scope) return scope;
  scope = new Proxy(Object.create(null) as object, {
    has: (_t, key) => {
      if (typeof key !== 'string' || isReserved(key)) return false;
      if (isDefined(vars, key, render)) return true;
      if (!(key in globalThis)) unresolvedName = key;
      return false;
    },
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined; // Symbol.unscopables and friends
      const v = lookupVariable(vars, key, render);
      return v === MISSING ? undefined : v;
    },
    // Assignments in template code (`<% x = 1 %>`) to a known name stay local to this render.
    set: () => true,
  });
  scopes.set(vars, scope);
  return scope;
}

const OPAQUE_MARK: unique symbol = Symbol('provision.opaque');

/**
 * A value that stands for something only known at run time (a registered result, a fact):
 * any property, call, comparison, iteration or string conversion works and never throws.
 */
export const OPAQUE: unknown = (() => {
  const target = (): void => {};
  let self: unknown;
  const handler: ProxyHandler<typeof target> = {
    get(_t, key) {
      if (key === OPAQUE_MARK || key === NOT_TEMPLATED) return true;
      if (key === Symbol.toPrimitive || key === 'toString' || key === 'valueOf') return () => '';
      if (key === Symbol.iterator) return function* empty(): Generator<never> {};
      if (key === 'then' || key === 'toJSON' || typeof key === 'symbol') return undefined;
      return self;
    },
    apply: () => self,
    has: () => true,
    set: () => true,
  };
  self = new Proxy(target, handler);
  return self;
})();

export function isOpaque(value: unknown): boolean {
  return typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[OPAQUE_MARK] === true;
}
