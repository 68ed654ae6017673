// Validates a value with a zod schema and turns zod's issues into located, one-paragraph InputErrors.

import { z } from 'zod';
import { InputError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { describeType, type YamlNode } from './yaml-node.js';

export interface SchemaCheck {
  /** What is being validated, for messages: "module 'apt'", "task", "play". */
  subject: string;
  /** Word for the keys: "argument", "keyword". */
  keyWord: string;
  /** Extra names offered for unknown keys ("did you mean"). */
  extraNames?: readonly string[];
  /** Skip issues at paths whose value is only known per host (templates). */
  ignoreTemplated?: boolean;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

const isTemplated = (v: unknown): boolean => typeof v === 'string' && v.includes('<%');

/** The object schema under optional/nullable/default wrappers and transforms chained on it. */
function objectSchema(schema: unknown): z.ZodObject | undefined {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodPipe) s = s.in;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap();
    else break;
  }
  return s instanceof z.ZodObject ? s : undefined;
}

/** The keys an object schema accepts, also through transforms chained on it (a module's argument spec). */
export function shapeKeys(schema: z.ZodType): string[] {
  const object = objectSchema(schema);
  return object ? Object.keys(object.shape as Record<string, unknown>) : [];
}

/** The keys accepted at a path inside an object schema (loop_control's keys for a task), for "did you mean". */
function shapeKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let s: unknown = schema;
  for (const seg of path) s = (objectSchema(s)?.shape as Record<string | number, unknown> | undefined)?.[seg];
  return s instanceof z.ZodType ? shapeKeys(s) : [];
}

function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_union': {
      const kinds = issue.errors.flatMap((errs) => errs.map((e) => (e.code === 'invalid_type' ? e.expected : e.message)));
      return [...new Set(kinds)].join(' or ');
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/**
 * Validates `node.value` (already shaped, e.g. free-form args parsed) against `schema`.
 * `locateAt` maps a path inside the value to a node location; `keyAt` to a key location.
 */
export function schemaErrors(
  schema: z.ZodType,
  value: unknown,
  node: YamlNode,
  check: SchemaCheck,
  locateNode: (path: readonly (string | number)[]) => YamlNode = (p) => p.reduce<YamlNode>((n, k) => n.child(k), node),
): { errors: InputError[]; data?: unknown } {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { errors: [], data: result.data };
  const errors: InputError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const at = valueAt(value, path);
    if (check.ignoreTemplated && (isTemplated(at) || (issue.code === 'invalid_union' && isTemplated(issue.input)))) continue;
    const keyName = path.length ? path.join('.') : undefined;
    const target = locateNode(path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = didYouMean(key, [...shapeKeysAt(schema, path), ...(path.length ? [] : (check.extraNames ?? []))]);
        errors.push(new InputError(`unknown ${check.keyWord} '${key}' for ${check.subject}`, target.keyLoc(key), hint));
      }
      continue;
    }
    const parentValue = valueAt(value, path.slice(0, -1));
    const absent = at === undefined && path.length > 0 && !(typeof parentValue === 'object' && parentValue !== null && Object.hasOwn(parentValue, path[path.length - 1] as PropertyKey));
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && absent) {
      const last = path[path.length - 1];
      const parent = locateNode(path.slice(0, -1));
      // point at the key that owns the incomplete mapping (e.g. `copy:`), not at its first entry
      const at = parent.path.length ? parent.doc.locateKey(parent.path) : parent.loc;
      errors.push(new InputError(`missing required ${check.keyWord} '${String(last)}' for ${check.subject} (expected ${expected(issue)})`, at));
      continue;
    }
    const what = keyName ? `${check.keyWord} '${keyName}' of ${check.subject}` : check.subject;
    const detail =
      issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value'
        ? `invalid ${what}: expected ${expected(issue)}, got ${describeType(at)}`
        : `invalid ${what}: ${issue.message}`;
    errors.push(new InputError(detail, target.loc));
  }
  return { errors };
}
