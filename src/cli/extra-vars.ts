// -e/--extra-vars: `key=value ...`, `@file.yaml`, or inline JSON/YAML, merged in the order given.

import { resolve } from 'node:path';
import { parseYaml, loadYamlFile } from '../core/yaml.js';
import { InputError } from '../core/errors.js';
import { scanKeyValues } from '../core/key-values.js';

function asMapping(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${what}: expected a mapping of variables`);
  return value as Record<string, unknown>;
}

/** `a=1 b="two words"`: every word a pair, every value a string (as Ansible's -e). */
function parseKeyValues(text: string): Record<string, unknown> {
  const { pairs, rest, balanced } = scanKeyValues(text);
  // A quote that is never closed: say so rather than silently dropping it.
  if (!balanced) throw new InputError(`-e '${text}': unbalanced quotes`);
  if (rest) throw new InputError(`-e '${text}': expected key=value, @FILE or a YAML/JSON mapping`);
  return Object.fromEntries(pairs.map((p) => [p.key, p.value]));
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
