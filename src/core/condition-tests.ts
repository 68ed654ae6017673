// What Ansible's condition words mean on values: `X is TEST` and `X [not] in Y`. A value only known at
// run time (OPAQUE, during validation) passes every test and membership, so validation never fails on it.

import type { ConditionTest } from './condition-parse.js';
import { isOpaque } from './template-scope.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value is TEST` for every test but defined/undefined (which need to know whether the value exists). */
export function passesTest(test: Exclude<ConditionTest, 'defined' | 'undefined'>, value: unknown): boolean {
  if (isOpaque(value)) return true;
  const r = isRecord(value) ? value : {};
  switch (test) {
    case 'none': return value === null;
    case 'succeeded': case 'success': return r.failed !== true;
    case 'failed': case 'failure': return r.failed === true;
    case 'changed': case 'change': return r.changed === true;
    case 'skipped': case 'skip': return r.skipped === true;
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'boolean': return typeof value === 'boolean';
    case 'mapping': return isRecord(value);
    case 'sequence': return Array.isArray(value);
    case 'iterable': return typeof value === 'string' || Array.isArray(value) || value instanceof Set || value instanceof Map;
    case 'truthy': return Boolean(value);
    case 'falsy': return !value;
  }
}

/** `needle in haystack`: list membership, substring, or key of a mapping. */
export function contains(haystack: unknown, needle: unknown): boolean {
  if (isOpaque(haystack) || isOpaque(needle)) return true;
  if (Array.isArray(haystack)) return haystack.includes(needle);
  if (typeof haystack === 'string') return haystack.includes(String(needle));
  if (haystack instanceof Set || haystack instanceof Map) return haystack.has(needle);
  if (isRecord(haystack)) return Object.hasOwn(haystack, String(needle));
  return false;
}
