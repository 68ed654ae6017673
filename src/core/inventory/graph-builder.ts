// The group/host graph as Ansible's InventoryData builds it: 'all' and 'ungrouped' exist from the
// start, groups and hosts keep insertion order, a child edge that would make a group its own
// ancestor is refused, and reconcile() attaches parentless groups to 'all' and groupless hosts to
// 'ungrouped'.

import { InputError, type SourceLocation } from '../errors.js';

export interface GroupNode {
  name: string;
  /** Hosts listed directly under the group. */
  hosts: string[];
  children: string[];
  parents: string[];
  /** Inline `vars:` of the inventory (ansible_group_priority excluded: it sets `priority`). */
  vars: Record<string, unknown>;
  priority: number;
}

export interface HostNode {
  name: string;
  /** Inline vars of the inventory (`hosts: {NAME: {...}}`), later entries overriding earlier ones. */
  vars: Record<string, unknown>;
  /** Groups that list the host directly. */
  groups: string[];
}

export class InventoryGraphBuilder {
  readonly groups = new Map<string, GroupNode>();
  readonly hosts = new Map<string, HostNode>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChildGroup('all', 'ungrouped');
  }

  addGroup(name: string): GroupNode {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, hosts: [], children: [], parents: [], vars: {}, priority: 1 };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Adds the host (once) and lists it in `group`; `port` applies only when the host is new, as in Ansible. */
  addHost(name: string, group: string, port?: number): HostNode {
    let host = this.hosts.get(name);
    if (!host) {
      host = { name, vars: port === undefined ? {} : { ansible_port: port }, groups: [] };
      this.hosts.set(name, host);
    }
    const g = this.addGroup(group);
    if (!g.hosts.includes(name)) {
      g.hosts.push(name);
      host.groups.push(group);
    }
    return host;
  }

  setGroupVar(group: string, key: string, value: unknown, location: SourceLocation): void {
    const g = this.addGroup(group);
    if (key !== 'ansible_group_priority') {
      g.vars[key] = value;
      return;
    }
    // Ansible turns it into the group's sort priority (int(value)); it is not kept as a variable.
    const n = typeof value === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new InputError(
        `ansible_group_priority of group '${group}' must be an integer, found ${JSON.stringify(value)}`,
        location,
      );
    }
    g.priority = n;
  }

  /** Makes `child` a child group of `parent`, refusing cycles (a group may not be its own ancestor). */
  addChildGroup(parent: string, child: string, location?: SourceLocation): void {
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    if (p.children.includes(child)) return;
    const cycle = parent === child ? [child, child] : this.pathUp(parent, child);
    if (cycle) {
      const chain = parent === child ? cycle : [child, ...cycle];
      throw new InputError(
        `group '${child}' cannot be a child of '${parent}': it would be its own ancestor (child -> parent: ${chain.join(' -> ')})`,
        location,
        'a group may not contain itself, directly or through its children',
      );
    }
    p.children.push(child);
    c.parents.push(parent);
  }

  /** Names from `from` up through parents to `target`, if `target` is an ancestor of (or is) `from`. */
  private pathUp(from: string, target: string): string[] | undefined {
    if (from === target) return [from];
    for (const parent of this.groups.get(from)?.parents ?? []) {
      const rest = this.pathUp(parent, target);
      if (rest) return [from, ...rest];
    }
    return undefined;
  }

  /** Ansible's reconcile_inventory: every group descends from 'all'; hosts in no other group are 'ungrouped'. */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChildGroup('all', group.name);
    }
    const ungrouped = this.addGroup('ungrouped');
    for (const host of this.hosts.values()) {
      const elsewhere = host.groups.some((g) => g !== 'all' && g !== 'ungrouped');
      if (host.groups.includes('ungrouped')) {
        if (elsewhere) {
          ungrouped.hosts = ungrouped.hosts.filter((h) => h !== host.name);
          host.groups = host.groups.filter((g) => g !== 'ungrouped');
        }
      } else if (!elsewhere) {
        this.addHost(host.name, 'ungrouped');
      }
    }
  }
}
