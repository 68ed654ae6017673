// Variable lookup for templates and conditions: a Proxy used with `with`, so that a name no scope
// defines is a ReferenceError (turned into UndefinedVariableError) instead of a silent `undefined`,
// while JS globals (Math, JSON, parseInt, ...) still resolve because the proxy does not claim them.

import { InputError, UndefinedVariableError } from './errors.js';

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
const MISSING: unique symbol = Symbol('missing');

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

/** Turns what a compiled template/expression threw into a located, user-facing error. */
export function toTemplateError(err: unknown, loc: import('./errors.js').SourceLocation | undefined, what: string): InputError {
  if (err instanceof UndefinedVariableError) {
    return err.location || !loc ? err : new UndefinedVariableError(err.variable, loc, err.hint);
  }
  if (err instanceof TemplateError) return err.location || !loc ? err : new TemplateError(err.kind, err.detail, loc);
  if (err instanceof InputError) return err.location || !loc ? err : new InputError(err.detail, loc, err.hint);
  const message = err instanceof Error ? err.message : String(err);
  // ejs prefixes "file:line\n<context>\n\n" to the message: keep the original (last) part.
  const original = message.split('\n\n').pop() ?? message;
  if (err instanceof ReferenceError) {
    const m = /^(\S+) is not defined$/.exec(original.trim());
    if (m?.[1]) return new UndefinedVariableError(m[1], loc);
  }
  if (err instanceof SyntaxError) return new TemplateError('syntax', `invalid ${what}: ${original.split('\n')[0]}`, loc);
  return new TemplateError('runtime', `${what} failed: ${original.split('\n')[0]}`, loc);
}

/** A template or expression that does not compile or throws while rendering. */
export class TemplateError extends InputError {
  constructor(
    /** syntax: wrong whatever the values; runtime: failed with these values (e.g. a property of null). */
    readonly kind: 'syntax' | 'runtime',
    detail: string,
    location?: import('./errors.js').SourceLocation,
  ) {
    super(detail, location);
  }
}

const resolving = new WeakMap<object, Set<string>>();

/** Looks a name up: own vars (templated values rendered lazily), `vars` itself, then the runtime fallback. */
function resolve(vars: TemplateVars, name: string, render: NestedRenderer): unknown {
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

/** Ansible's `vars`: every variable by name, undefined (not an error) when missing: `vars.x ?? 'default'`. */
function varsView(vars: TemplateVars, render: NestedRenderer): Record<string, unknown> {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const v = resolve(vars, key, render);
      return v === MISSING ? undefined : v;
    },
    has: (_t, key) => typeof key === 'string' && resolve(vars, key, render) !== MISSING,
    ownKeys: () => Object.keys(vars),
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && Object.hasOwn(vars, key)
        ? { configurable: true, enumerable: true, value: resolve(vars, key, render) }
        : undefined,
  });
}

const scopes = new WeakMap<object, object>();

/** The `with` scope object for a vars record (one per record, reused across renders). */
export function scopeFor(vars: TemplateVars, render: NestedRenderer): object {
  let scope = scopes.get(vars);
  if (scope) return scope;
  scope = new Proxy(Object.create(null) as object, {
    has: (_t, key) => typeof key === 'string' && !isReserved(key) && resolve(vars, key, render) !== MISSING,
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined; // Symbol.unscopables and friends
      const v = resolve(vars, key, render);
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
