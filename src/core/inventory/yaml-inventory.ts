// Reads Ansible's YAML inventory format (the `yaml` inventory plugin) into the group/host graph.
// Where Ansible only warns (unknown keys in a group, a group that is not a mapping), this loader
// stops with an InputError naming file:line:col: a typo there silently drops hosts or variables.

import { InputError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { LoadedYaml, YamlPath } from '../yaml.js';
import type { InventoryGraphBuilder } from './graph-builder.js';
import { expandHostKey } from './host-range.js';
import { describeValue, isMapping } from './mapping.js';

const GROUP_KEYS = ['hosts', 'children', 'vars'] as const;

/** Adds the groups, hosts and inline vars of one parsed inventory file to `builder`. */
export function readYamlInventory(doc: LoadedYaml, builder: InventoryGraphBuilder): void {
  const data = doc.value;
  if (data === null || data === undefined) return;
  if (!isMapping(data)) {
    throw new InputError(
      `an inventory must be a mapping of group names (usually 'all:'), found ${describeValue(data)}`,
      doc.locate([]),
      typeof data === 'string' || Array.isArray(data)
        ? "only Ansible's YAML inventory format is read, not INI: a mapping that starts with 'all:'"
        : undefined,
    );
  }
  for (const [name, groupData] of Object.entries(data)) readGroup(doc, builder, name, groupData, [name]);
}

function readGroup(doc: LoadedYaml, builder: InventoryGraphBuilder, name: string, data: unknown, path: YamlPath): void {
  if (name.trim() === '') throw new InputError('a group name must not be empty', doc.locateKey(path));
  if (data !== null && !isMapping(data)) {
    throw new InputError(
      `group '${name}' must be a mapping with 'hosts', 'children' or 'vars' (or empty), found ${describeValue(data)}`,
      doc.locate(path),
    );
  }
  builder.addGroup(name);
  if (data === null) return;

  for (const [key, value] of Object.entries(data)) {
    const at = [...path, key];
    if (!(GROUP_KEYS as readonly string[]).includes(key)) {
      throw new InputError(
        `unknown key '${key}' in group '${name}': a group may only have 'hosts', 'children' and 'vars'`,
        doc.locateKey(at),
        didYouMean(key, GROUP_KEYS),
      );
    }
    if (value === null || value === undefined) continue;
    if (key === 'vars') readGroupVars(doc, builder, name, value, at);
    else if (key === 'children') readChildren(doc, builder, name, value, at);
    else readHosts(doc, builder, name, value, at);
  }
}

function readGroupVars(doc: LoadedYaml, builder: InventoryGraphBuilder, group: string, value: unknown, path: YamlPath): void {
  if (!isMapping(value)) {
    throw new InputError(
      `vars of group '${group}' must be a mapping of variable names to values, found ${describeValue(value)}`,
      doc.locate(path),
    );
  }
  for (const [k, v] of Object.entries(value)) builder.setGroupVar(group, k, v, doc.locate([...path, k]));
}

/** `children:`/`hosts:` may be one name as a string (Ansible reads `hosts: web01` as `{web01: null}`). */
function asEntries(doc: LoadedYaml, group: string, section: string, value: unknown, path: YamlPath): [string, unknown][] {
  if (typeof value === 'string') return [[value, null]];
  if (!isMapping(value)) {
    throw new InputError(
      `${section} of group '${group}' must be a mapping of names, found ${describeValue(value)}`,
      doc.locate(path),
      Array.isArray(value) ? `write each name as a key ending with ':', one a line under '${section}:'` : undefined,
    );
  }
  return Object.entries(value);
}

function readChildren(doc: LoadedYaml, builder: InventoryGraphBuilder, group: string, value: unknown, path: YamlPath): void {
  for (const [child, childData] of asEntries(doc, group, 'children', value, path)) {
    const at = [...path, child];
    if (child === 'all') {
      throw new InputError(`'all' cannot be a child of group '${group}': every group is already inside 'all'`, doc.locateKey(at));
    }
    // The edge before the child's own content, so a cycle is reported where it closes.
    builder.addGroup(child);
    builder.addChildGroup(group, child, doc.locateKey(at));
    readGroup(doc, builder, child, childData, at);
  }
}

function readHosts(doc: LoadedYaml, builder: InventoryGraphBuilder, group: string, value: unknown, path: YamlPath): void {
  for (const [key, hostVars] of asEntries(doc, group, 'hosts', value, path)) {
    const at = [...path, key];
    if (key.trim() === '') throw new InputError('a host name must not be empty', doc.locateKey(at));
    if (hostVars !== null && hostVars !== undefined && !isMapping(hostVars)) {
      throw new InputError(
        `vars of host '${key}' must be a mapping of variable names to values (or empty), found ${describeValue(hostVars)}`,
        doc.locate(at),
      );
    }
    const { hosts, port } = expandHostKey(key, doc.locateKey(at));
    for (const name of hosts) {
      const host = builder.addHost(name, group, port);
      Object.assign(host.vars, hostVars ?? {});
    }
  }
}
