// -e/--extra-vars: `key=value ...`, `@file.yaml`, or inline JSON/YAML, merged in the order given.

import { resolve } from 'node:path';
import { parseYaml, loadYamlFile } from '../core/yaml.js';
import { InputError } from '../core/errors.js';

function asMapping(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${what}: expected a mapping of variables`);
  return value as Record<string, unknown>;
}

/** Splits `a=1 b="two words"` the way a shell would, then each at its first '='. */
function parseKeyValues(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const token = /(?:[^\s"']+|"[^"]*"|'[^']*')+/g;
  // A quote that is never closed matches no token: say so rather than silently dropping it.
  if (text.replace(token, '').trim() !== '') throw new InputError(`-e '${text}': unbalanced quotes`);
  const tokens = text.match(token) ?? [];
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw new InputError(`-e '${text}': expected key=value, @FILE or a YAML/JSON mapping`);
    out[token.slice(0, eq)] = token.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

export function parseExtraVars(args: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const arg of args) {
    const text = arg.trim();
    if (text.startsWith('@')) {
      Object.assign(merged, asMapping(loadYamlFile(resolve(text.slice(1))).value, `-e ${text}`));
    } else if (text.startsWith('{')) {
      Object.assign(merged, asMapping(parseYaml(text, '-e').value, '-e'));
    } else if (text !== '') {
      Object.assign(merged, parseKeyValues(text));
    }
  }
  return merged;
}
