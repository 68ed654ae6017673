// Which values a run must never show, found by one rule (core/secret-names.ts) wherever variables
// live: the inventory, extra vars, plays, roles and tasks before the run; each task's variables as it
// runs (a secret-named value that is a template is secret as rendered, and a set_fact or registered
// secret-named variable is found the same way); a no_log task's results; and the old side of a diff,
// whose previous secret is found where the new side has a known one. RunContext.emit masks them all.

import type { Inventory } from '../core/inventory/types.js';
import type { Playbook } from '../core/playbook/types.js';
import { isSecretName } from '../core/secret-names.js';
import { hasTemplate, NOT_TEMPLATED } from '../core/template-scope.js';
import type { FileDiff } from '../modules/types.js';

/** Renders a variable's value for one host (a template may need the host's other variables). */
export type ValueRenderer = (value: unknown) => unknown;

/** Every string and number below a value (a secret-named list or mapping is secret as a whole). */
export function leafValues(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) leafValues(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) leafValues(v, out);
  return out;
}

/** The secrets of a set of variables before rendering: plain values, and templated ones with their top-level key. */
export interface SecretScan {
  plain: string[];
  /** A templated secret is secret as rendered, which depends on the host and task (`key`: the variable it sits under). */
  templated: { key: string; value: unknown }[];
}

/**
 * The secret values in a set of variables: those of secret-named keys at any depth (inside lists too:
 * `users: [{name, password}]`). A templated secret is passed to `render` (per host at run time);
 * without a renderer it is skipped. Rendering errors are the task's to report, not this scan's.
 */
export function secretValues(vars: Record<string, unknown>, render?: ValueRenderer, out: string[] = []): string[] {
  const scan = scanSecrets(vars);
  out.push(...scan.plain);
  if (render) for (const { value } of scan.templated) renderedSecretParts(value, render, out);
  return out;
}

/** secretValues without rendering: what can be kept and reused while the variables do not change. */
export function scanSecrets(vars: Record<string, unknown>): SecretScan {
  const scan: SecretScan = { plain: [], templated: [] };
  for (const [key, value] of Object.entries(vars)) scanEntry(key, key, value, scan);
  return scan;
}

function scanEntry(topKey: string, key: string, value: unknown, scan: SecretScan): void {
  if (isSecretName(key)) {
    if (!hasTemplate(value)) secretParts(value, scan.plain);
    else scan.templated.push({ key: topKey, value });
  } else if (Array.isArray(value)) {
    for (const item of value) if (isPlainObject(item)) for (const [k, v] of Object.entries(item)) scanEntry(topKey, k, v, scan);
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) scanEntry(topKey, k, v, scan);
  }
}

/** The secret parts of a templated secret as rendered; a rendering error is the task's to report. */
export function renderedSecretParts(value: unknown, render: ValueRenderer, out: string[] = []): string[] {
  try {
    secretParts(render(value), out);
  } catch {
    // The task that uses it reports the error.
  }
  return out;
}

/**
 * The value of a secret-named variable: a scalar is secret whatever it is; in a list or a mapping, its
 * meaningful strings (a registered result's output, not its exit code or its flags).
 */
function secretParts(value: unknown, out: string[]): void {
  if (!Array.isArray(value) && !isPlainObject(value)) {
    leafValues(value, out);
    return;
  }
  const isResult = isPlainObject(value) && typeof value.changed === 'boolean';
  out.push(...(isResult ? noLogValues(value, undefined) : leafValues(value).filter(isWorthMasking)));
}

/** A bare count or a yes/no word inside a structure is not worth masking in every other text. */
function isWorthMasking(text: string): boolean {
  return text.trim() !== '' && !/^(true|false|yes|no|\d{1,3})$/i.test(text.trim());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if ((value as Record<symbol, unknown>)[NOT_TEMPLATED]) return false; // hostvars: scanned host by host
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The secrets known before a run: every host's inventory, extra vars, plays, roles and tasks. */
export function collectSecrets(playbook: Playbook, inventory: Inventory, extraVars: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const host of inventory.hostNames) secretValues(inventory.hostVars(host), undefined, out);
  secretValues(extraVars, undefined, out);
  for (const play of playbook.plays) {
    secretValues(play.vars, undefined, out);
    for (const role of play.roles) {
      secretValues(role.defaults, undefined, out);
      secretValues(role.vars, undefined, out);
      secretValues(role.params, undefined, out);
    }
    for (const task of play.tasks) secretValues(task.vars, undefined, out);
  }
  return [...new Set(out)].filter((s) => s.length > 0);
}

/**
 * The previous secrets on the old side of a diff. Where a line of the new side holds a known secret,
 * the old side's line with the same text around it holds the previous one (`password = OLD` against
 * `password = NEW`); a new line that is a secret alone makes the old line at that place secret too.
 */
export function previousSecrets(diff: FileDiff, secretsIn: (text: string) => string[]): string[] {
  const out: string[] = [];
  const after = diff.after.split('\n');
  // Only lines the change removed can hold a previous secret (an unchanged line is on both sides).
  const unchanged = new Set(after);
  const before = diff.before.split('\n').map((line) => (unchanged.has(line) ? undefined : line));
  after.forEach((line, index) => {
    const found = secretsIn(line);
    if (found.length === 0) return;
    const first = Math.min(...found.map((s) => line.indexOf(s)));
    const last = Math.max(...found.map((s) => line.lastIndexOf(s) + s.length));
    const prefix = line.slice(0, first);
    const suffix = line.slice(last);
    if (prefix === '' && suffix === '') {
      const old = before[index];
      if (old !== undefined && old.trim() !== '') out.push(old);
      return;
    }
    for (const old of before) {
      if (old !== undefined && old.length > prefix.length + suffix.length && old.startsWith(prefix) && old.endsWith(suffix)) {
        out.push(old.slice(prefix.length, old.length - suffix.length));
      }
    }
  });
  return out.filter((s) => s.trim() !== '');
}

/** Result fields that can carry what a no_log task read or made (a loop's `results` are searched item by item). */
const NO_LOG_FIELDS = new Set(['stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'msg', 'content', 'ansible_facts', 'item', 'value']);

/** What a no_log task produced that later output could repeat: its registered output and set facts. */
export function noLogValues(data: Record<string, unknown>, facts: Record<string, unknown> | undefined): string[] {
  const out = leafValues(facts ?? {});
  const walk = (result: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(result)) {
      if (NO_LOG_FIELDS.has(key)) leafValues(value, out);
      else if (key === 'results' && Array.isArray(value)) for (const r of value) if (isPlainObject(r)) walk(r);
    }
  };
  walk(data);
  return out.filter(isWorthMasking);
}
