// A module's arguments declared once, as Ansible's argument_spec does (module_utils/common/parameters.py):
// the zod shape plus aliases, mutually_exclusive, required_one_of, required_together, required_if and
// required_by. From that one declaration come the alias normalisation (the plan sees canonical names
// only) and every cross-argument check, with messages worded the same way in every module.

import { z } from 'zod';

type Key<S extends z.ZodRawShape> = keyof S & string;
/** What a plan receives: the shape's output, canonical names only. */
export type ArgsOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** `[key, value, requirements, 'any'?]`: when key has value, all (or with 'any', one) of the requirements must be given. */
export type RequiredIf<S extends z.ZodRawShape> = readonly [Key<S>, unknown, readonly Key<S>[], 'any'?];

export interface ArgRules<S extends z.ZodRawShape> {
  /** How messages name an argument, when its name alone says too little (e.g. the free-form text). */
  labels?: { readonly [K in Key<S>]?: string };
  /** Other names accepted for an argument; giving two names of one argument is an error. */
  aliases?: { readonly [K in Key<S>]?: readonly string[] };
  /** Groups of which at most one may be given. */
  mutuallyExclusive?: readonly (readonly Key<S>[])[];
  /** Groups of which at least one must be given. */
  requiredOneOf?: readonly (readonly Key<S>[])[];
  /** Groups that are given all together or not at all. */
  requiredTogether?: readonly (readonly Key<S>[])[];
  requiredIf?: readonly RequiredIf<S>[];
  /** An argument that, when given, needs these others. */
  requiredBy?: { readonly [K in Key<S>]?: readonly Key<S>[] };
  /** Module-specific checks over the normalised arguments: [holds, message], as zod's refine. */
  checks?: readonly (readonly [(args: ArgsOf<S>) => boolean, string])[];
  /** Keys outside the shape are an error (Ansible's "Unsupported parameters"), or ignored and kept. */
  otherKeys?: 'reject' | 'ignore';
}

const NO_DEFAULT = Symbol('no default');

/** `a`, `a or b`, `a, b or c` */
export function listWords(names: readonly string[], conjunction: 'and' | 'or'): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}

function withoutDefault(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

function defaultOf(schema: z.ZodType): unknown {
  const r = schema.safeParse(undefined);
  return r.success && r.data !== undefined ? r.data : NO_DEFAULT;
}

/**
 * Declares a module's arguments. The result is a zod schema whose output has the canonical names only
 * (aliases merged, their defaults applied) and which reports every violated rule as one issue.
 *
 * An argument counts as given when it is present and differs from its declared default, so that
 * `update_cache: false` asks for no more than leaving it out.
 */
export function argSpec<S extends z.ZodRawShape>(shape: S, rules: ArgRules<S> = {}): z.ZodType<ArgsOf<S>> {
  const fields: Record<string, z.ZodType> = {};
  const names = new Map<string, readonly string[]>(); // canonical → [canonical, ...aliases]
  const defaults = new Map<string, unknown>();
  for (const [key, schema] of Object.entries(shape) as [string, z.ZodType][]) {
    defaults.set(key, defaultOf(schema));
    const aliases = (rules.aliases as Record<string, readonly string[] | undefined> | undefined)?.[key] ?? [];
    if (aliases.length === 0) {
      fields[key] = schema;
      continue;
    }
    // Defaults are applied after the names are merged, or a default would look like a second name given.
    const bare = withoutDefault(schema).optional();
    for (const name of [key, ...aliases]) fields[name] = bare;
    names.set(key, [key, ...aliases]);
  }
  const object = rules.otherKeys === 'ignore' ? z.looseObject(fields) : z.strictObject(fields);

  const label = (key: string): string => {
    const given = (rules.labels as Record<string, string | undefined> | undefined)?.[key];
    if (given !== undefined) return given;
    const aliases = names.get(key)?.slice(1) ?? [];
    return aliases.length === 0 ? key : `${key} (or its alias${aliases.length > 1 ? 'es' : ''} ${aliases.join(', ')})`;
  };

  /** Aliases folded into their canonical name; the messages for names given twice or a required one missing. */
  const normalise = (raw: Record<string, unknown>): { args: Record<string, unknown>; problems: string[] } => {
    const args = { ...raw };
    const problems: string[] = [];
    for (const [key, all] of names) {
      const given = all.filter((n) => raw[n] !== undefined);
      for (const n of all) delete args[n];
      if (given.length > 1) {
        problems.push(`${listWords(given, 'and')} are aliases${given.includes(key) ? '' : ` of ${key}`}: give one`);
      }
      const first = given[0];
      if (first !== undefined) args[key] = raw[first];
      else {
        const r = (shape[key] as z.ZodType).safeParse(undefined);
        if (r.success) args[key] = r.data;
        else problems.push(`${label(key)} is required`);
      }
    }
    return { args, problems };
  };

  const isGiven = (args: Record<string, unknown>, key: string): boolean => {
    const v = args[key];
    return v !== undefined && v !== defaults.get(key);
  };

  const violations = (args: Record<string, unknown>): string[] => {
    const out: string[] = [];
    const given = (keys: readonly string[]) => keys.filter((k) => isGiven(args, k));
    for (const group of rules.mutuallyExclusive ?? []) {
      if (given(group).length > 1) out.push(`${listWords(given(group), 'and')} are mutually exclusive`);
    }
    for (const group of rules.requiredOneOf ?? []) {
      if (given(group).length === 0) out.push(`one of ${listWords(group.map(label), 'or')} is required`);
    }
    for (const group of rules.requiredTogether ?? []) {
      const some = given(group);
      if (some.length > 0 && some.length < group.length) {
        out.push(`${listWords(group, 'and')} go together: ${listWords(group.filter((k) => !some.includes(k)), 'and')} missing`);
      }
    }
    for (const [key, value, requires, any] of rules.requiredIf ?? []) {
      if (args[key] !== value) continue;
      const missing = requires.filter((k) => !isGiven(args, k));
      const condition = value === true ? key : `${key}=${String(value)}`;
      if (any === 'any' ? missing.length === requires.length : missing.length > 0) {
        out.push(`${condition} requires ${any === 'any' ? listWords(requires, 'or') : listWords(missing, 'and')}`);
      }
    }
    for (const [key, requires] of Object.entries(rules.requiredBy ?? {}) as [string, readonly string[]][]) {
      const missing = requires.filter((k) => !isGiven(args, k));
      if (isGiven(args, key) && missing.length > 0) out.push(`${key} requires ${listWords(missing, 'and')}`);
    }
    for (const [holds, message] of rules.checks ?? []) if (!holds(args as ArgsOf<S>)) out.push(message);
    return out;
  };

  const checked = object.superRefine((raw, ctx) => {
    const { args, problems } = normalise(raw);
    // Rules are checked only on well-formed names: a missing path would make every other message noise.
    for (const message of problems.length > 0 ? problems : violations(args)) ctx.addIssue({ code: 'custom', message });
  });
  // Without aliases the parsed object is already the arguments (and stays a plain object schema).
  return names.size === 0 ? (checked as unknown as z.ZodType<ArgsOf<S>>) : checked.transform((raw) => normalise(raw).args as ArgsOf<S>);
}

/** The names Ansible's file-editing modules accept for the file (file, lineinfile, blockinfile). */
export const PATH_ALIASES = { path: ['dest', 'name'] } as const;
