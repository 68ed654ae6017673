// Loads an inventory (a YAML file or an Ansible `-i a,b,` host list) into the resolved Inventory:
// the graph, group_vars/host_vars beside the inventory and the playbook, and each host's variables
// with Ansible's precedence. Every file is read and checked here, before any host is touched.

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { loadYamlFile } from '../yaml.js';
import { parseAddress } from './address.js';
import { InventoryGraphBuilder, type GroupNode } from './graph-builder.js';
import { LOCALHOST_NAMES, selectHosts, type PatternSpace } from './patterns.js';
import type { Inventory, InventoryGroup } from './types.js';
import { loadVarsFor } from './vars-files.js';
import { readYamlInventory } from './yaml-inventory.js';

export interface LoadInventoryOptions {
  /** Directory of the playbook: its group_vars/ and host_vars/ override the inventory's. */
  playbookDir?: string;
  /** Where Ansible would print a [WARNING] (patterns that match nothing...). Default: stderr. */
  warn?: (message: string) => void;
}

type Vars = Record<string, unknown>;

const defaultWarn = (message: string) => process.stderr.write(`[WARNING]: ${message}\n`);

/** Patterns are evaluated several times (validation, then the run): print each warning once, as Ansible does. */
function printOnce(print: (message: string) => void): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    print(message);
  };
}

/** Loads an inventory file in Ansible's YAML inventory format. */
export function loadInventory(path: string, options: LoadInventoryOptions = {}): Inventory {
  const file = resolve(path);
  const stat = statOrUndefined(file);
  if (stat?.isDirectory()) {
    throw new InputError('the inventory is a directory: give one inventory file', { file: path });
  }
  const doc = withIniHint(path, () => loadYamlFile(path, { version: '1.1' }));
  const builder = new InventoryGraphBuilder();
  readYamlInventory(doc, builder);
  if (doc.value === null || doc.value === undefined) (options.warn ?? defaultWarn)(`${path}: empty inventory, no hosts`);
  return resolveInventory(path, builder, [dirname(file), options.playbookDir], options);
}

/** An INI inventory fails as YAML; say why rather than only where. */
function withIniHint<T>(path: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof InputError) || !err.location?.line) throw err;
    const firstLine = readFileSync(path, 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l));
    if (!firstLine || !/^\s*\[[^\]]+\]\s*$/.test(firstLine)) throw err;
    throw new InputError(err.detail, err.location, "this looks like an INI inventory: only Ansible's YAML inventory format is read");
  }
}

/** Ansible's `-i host1,host2,` form: each host in 'ungrouped', an optional `:port` per host. */
export function inventoryFromHostList(list: string, options: LoadInventoryOptions = {}): Inventory {
  const builder = new InventoryGraphBuilder();
  for (const entry of list.split(',').map((h) => h.trim())) {
    if (entry === '') continue;
    const parsed = parseAddress(entry, false);
    const name = parsed?.host ?? entry;
    if (!builder.hosts.has(name)) builder.addHost(name, 'ungrouped', parsed?.port);
  }
  return resolveInventory(list, builder, [options.playbookDir], options);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Existing directories, each once (the playbook may sit beside the inventory). */
function varsBaseDirs(dirs: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of dirs) {
    if (dir === undefined || !statOrUndefined(dir)?.isDirectory()) continue;
    const real = realpathSync(dir);
    if (!seen.has(real)) {
      seen.add(real);
      out.push(real);
    }
  }
  return out;
}

function resolveInventory(
  source: string,
  builder: InventoryGraphBuilder,
  dirs: (string | undefined)[],
  options: LoadInventoryOptions,
): Inventory {
  const warn = options.warn ?? printOnce(defaultWarn);
  builder.reconcile();
  const { groups, hosts } = builder;
  for (const name of groups.keys()) if (hosts.has(name)) warn(`Found both group and host with same name: ${name}`);

  // Files per base directory, inventory's first then the playbook's (which win).
  const baseDirs = varsBaseDirs(dirs);
  const groupFiles = new Map<string, Vars[]>();
  for (const name of groups.keys()) groupFiles.set(name, baseDirs.map((d) => loadVarsFor(d, 'group_vars', name)));
  const implicitNames = LOCALHOST_NAMES.filter((n) => !hosts.has(n));
  const hostFiles = new Map<string, Vars[]>();
  for (const name of [...hosts.keys(), ...implicitNames]) {
    hostFiles.set(name, baseDirs.map((d) => loadVarsFor(d, 'host_vars', name)));
  }

  const depth = groupDepths(groups);
  const groupHosts = new Map<string, string[]>();
  for (const name of groups.keys()) groupHosts.set(name, hostsUnder(groups, name));
  const hostNames = groupHosts.get('all') ?? [];
  const definedLocalhost = LOCALHOST_NAMES.find((n) => hosts.has(n));

  const ancestors = (group: string, into: Set<string>): Set<string> => {
    into.add(group);
    for (const p of groups.get(group)?.parents ?? []) ancestors(p, into);
    return into;
  };
  const groupsOf = (host: string): string[] => {
    const node = hosts.get(host);
    if (!node) return [];
    const found = new Set<string>();
    for (const g of node.groups) ancestors(g, found);
    return [...groups.keys()].filter((g) => found.has(g));
  };

  const all = groups.get('all');
  const hostVars = (host: string): Vars => {
    const node = hosts.get(host);
    const implicit = !node && implicitNames.includes(host);
    if (!node && !implicit) {
      throw new InputError(`unknown host '${host}': it is not in the inventory ${source}`, undefined, didYouMean(host, hosts.keys()));
    }
    // Ansible's order (VariableManager with the default precedence): inline vars of 'all' then of
    // each group, then group_vars/all, then group_vars/<group>, then the host's own; within each
    // step groups sort by depth, ansible_group_priority, name. So group_vars/all beats a child
    // group's inline vars.
    const sorted = groupsOf(host)
      .filter((g) => g !== 'all')
      .map((g) => groups.get(g) as GroupNode)
      .sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0) || a.priority - b.priority || cmp(a.name, b.name));
    const layers: Vars[] = [all?.vars ?? {}, ...sorted.map((g) => g.vars)];
    layers.push(...(groupFiles.get('all') ?? []));
    for (const i of baseDirs.keys()) for (const g of sorted) layers.push(groupFiles.get(g.name)?.[i] ?? {});
    // The implicit localhost gets all's inline vars again under its own, as Ansible's reconcile does.
    layers.push(node ? node.vars : { ...(all?.vars ?? {}), ansible_connection: 'local' });
    layers.push(...(hostFiles.get(host) ?? []));
    return Object.assign({}, ...layers) as Vars;
  };

  const resolvedGroups = new Map<string, InventoryGroup>();
  for (const g of groups.values()) {
    resolvedGroups.set(g.name, {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children],
      vars: Object.assign({}, g.vars, ...(groupFiles.get(g.name) ?? [])) as Vars,
      priority: g.priority,
    });
  }

  const space: PatternSpace = {
    hostNames,
    groupNames: () => groups.keys(),
    groupHosts: (g) => groupHosts.get(g) ?? [],
    implicitLocalhost: (name) => (LOCALHOST_NAMES.includes(name) ? (definedLocalhost ?? name) : undefined),
  };

  return {
    source,
    hostNames,
    groups: resolvedGroups,
    hostVars,
    groupsOf,
    groupMembers: () => Object.fromEntries([...groupHosts].map(([g, h]) => [g, [...h]])),
    select: (pattern) => selectHosts(space, pattern, { warn }),
  };
}

/** Python's default string order (code points), not locale order. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ansible's group depth: the longest path down from 'all' (all = 0). */
function groupDepths(groups: ReadonlyMap<string, GroupNode>): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const parents = groups.get(name)?.parents ?? [];
    const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => of(p) + 1));
    depth.set(name, d);
    return d;
  };
  for (const name of groups.keys()) of(name);
  return depth;
}

/** Ansible's Group.get_hosts order: the group's own hosts, then its descendants' level by level. */
function hostsUnder(groups: ReadonlyMap<string, GroupNode>, name: string): string[] {
  const seenGroups = new Set([name]);
  const queue = [name];
  const out = new Set<string>();
  while (queue.length) {
    const g = groups.get(queue.shift() as string);
    if (!g) continue;
    for (const h of g.hosts) out.add(h);
    for (const c of g.children) {
      if (!seenGroups.has(c)) {
        seenGroups.add(c);
        queue.push(c);
      }
    }
  }
  return [...out];
}
