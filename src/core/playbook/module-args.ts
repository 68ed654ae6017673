// A task's module arguments: a mapping, a free-form string (`command: ls -l`), or `key=value` pairs
// (`apt: name=nginx state=present`), merged with the `args:` keyword, then checked with the module's schema.

import { InputError, InputErrors } from '../errors.js';
import { scanKeyValues, type KeyValue } from '../key-values.js';
import { parseYesNo } from '../yes-no.js';
import type { ModuleDefinition } from '../../modules/types.js';
import { schemaErrors, shapeKeys } from './schema-issues.js';
import { describeType, isRecord, type YamlNode } from './yaml-node.js';

/** Plain integers become numbers (`0644` stays a string), then `yes`/`no`/`true`/`false`/`on`/`off` booleans. */
function coerce(value: string): unknown {
  if (/^-?(0|[1-9]\d*)$/.test(value)) return Number(value);
  return parseYesNo(value) ?? value;
}

/** A pair's value as an argument: quoted text stays text, otherwise numbers and booleans are read. */
function argValue(pair: KeyValue): unknown {
  return pair.quoted ? pair.value : coerce(pair.value);
}

/** Parses `a=1 b="x y"`; anything that is not a pair is an error. */
export function parseKeyValues(text: string, node: YamlNode, moduleName: string): Record<string, unknown> {
  const { pairs, rest, balanced } = scanKeyValues(text);
  if (rest) {
    throw new InputError(
      `module '${moduleName}' takes no free-form text: expected key=value pairs or a mapping of arguments, found '${rest}'${balanced ? '' : ' (a quote is not closed)'}`,
      node.loc,
    );
  }
  return Object.fromEntries(pairs.map((p) => [p.key, argValue(p)]));
}

/** Free form for command-like modules: known `key=value` options are taken out, the rest is the free-form text. */
function parseFreeForm(text: string, module: ModuleDefinition & { freeForm: string }): Record<string, unknown> {
  const known = new Set(shapeKeys(module.args).filter((k) => k !== module.freeForm));
  const { pairs, rest } = scanKeyValues(text, (key) => known.has(key));
  const out: Record<string, unknown> = Object.fromEntries(pairs.map((p) => [p.key, argValue(p)]));
  if (rest) out[module.freeForm] = rest;
  return out;
}

export interface ModuleArgsInput {
  module: ModuleDefinition;
  /** Name as written in the task (for messages). */
  name: string;
  /** The value under the module key. */
  node: YamlNode;
  /** The `args:` keyword, when present. */
  argsNode?: YamlNode;
}

/** Shapes the arguments and validates them (template strings are left for run time). */
export function buildModuleArgs(input: ModuleArgsInput): unknown {
  const { module, name, node, argsNode } = input;
  const raw = node.value;
  let inline: unknown;
  if (raw === null || raw === undefined) inline = {};
  else if (typeof raw === 'string') {
    if (module.freeForm) inline = parseFreeForm(raw, module as ModuleDefinition & { freeForm: string });
    else if (raw.includes('<%') && !/^\s*[A-Za-z_][\w-]*=/.test(raw)) return raw; // whole args from a variable
    else inline = parseKeyValues(raw, node, name);
  } else if (isRecord(raw)) inline = raw;
  else if (module.freeForm && (typeof raw === 'number' || typeof raw === 'boolean')) inline = { [module.freeForm]: String(raw) };
  else throw new InputError(`arguments of module '${name}' must be a mapping${module.freeForm ? ' or a command string' : ''}, got ${describeType(raw)}`, node.loc);

  let args = inline;
  if (argsNode) {
    if (!isRecord(argsNode.value)) throw new InputError(`'args' must be a mapping, got ${describeType(argsNode.value)}`, argsNode.loc);
    args = { ...argsNode.value, ...(inline as Record<string, unknown>) };
  }

  const locateNode = (path: readonly (string | number)[]): YamlNode => {
    const first = path[0];
    const base = first !== undefined && argsNode && isRecord(argsNode.value) && Object.hasOwn(argsNode.value, first) && !(isRecord(raw) && Object.hasOwn(raw, first)) ? argsNode : node;
    return path.reduce<YamlNode>((n, k) => n.child(k), base);
  };
  const { errors } = schemaErrors(module.args, args, node, { subject: `module '${name}'`, keyWord: 'argument', ignoreTemplated: true }, locateNode);
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
  return args;
}
