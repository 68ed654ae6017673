// `ansible-inventory --list` / `--host` output: groups with `hosts`/`children` reachable from
// 'all' (empty ones left out but still named by their parents), and `_meta.hostvars` with every
// host's flattened variables (hosts without variables left out), printed with sorted keys.

import type { Inventory } from './types.js';

export interface AnsibleGroupJson {
  hosts?: string[];
  children?: string[];
}

export type AnsibleInventoryJson = Record<string, AnsibleGroupJson> & {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
};

export interface ListOptions {
  /** Restrict the listing to these hosts (from --limit), as recent ansible-inventory does. */
  hosts?: readonly string[];
}

export function inventoryToAnsibleJson(inv: Inventory, options: ListOptions = {}): AnsibleInventoryJson {
  const wanted = new Set(options.hosts ?? inv.hostNames);
  const groups: Record<string, AnsibleGroupJson> = {};
  const seen = new Set<string>();
  const visit = (name: string) => {
    const group = inv.groups.get(name);
    if (!group) return;
    const entry: AnsibleGroupJson = {};
    const hosts = name === 'all' ? [] : group.hosts.filter((h) => wanted.has(h));
    if (hosts.length) entry.hosts = hosts;
    if (group.children.length) entry.children = [...group.children];
    if (entry.hosts || entry.children) groups[name] = entry;
    for (const child of group.children) {
      if (!seen.has(child)) {
        seen.add(child);
        visit(child);
      }
    }
  };
  visit('all');

  const hostvars: Record<string, Record<string, unknown>> = {};
  for (const host of inv.hostNames) {
    if (!wanted.has(host)) continue;
    const vars = inv.hostVars(host);
    if (Object.keys(vars).length) hostvars[host] = vars;
  }
  return Object.assign(groups, { _meta: { hostvars } });
}

/** JSON as ansible-inventory prints it: keys sorted at every level, four-space indent. */
export function formatAnsibleJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, 4);
}
