// The resolved inventory: Ansible's YAML inventory meaning, after group_vars/host_vars.

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly under this group. */
  hosts: string[];
  children: string[];
  /** The group's own vars (inline `vars:` merged with group_vars/NAME). */
  vars: Record<string, unknown>;
  /** ansible_group_priority, default 1. */
  priority: number;
}

export interface Inventory {
  /** Path of the inventory file (or '' for the implicit localhost inventory). */
  source: string;
  /** Host names in inventory order. */
  hostNames: string[];
  groups: ReadonlyMap<string, InventoryGroup>;
  /** Variables of a host with Ansible's precedence: all < parents < children (siblings by priority then name) < host. */
  hostVars(host: string): Record<string, unknown>;
  /** Every group a host belongs to, directly or through children, 'all' included. */
  groupsOf(host: string): string[];
  /** `groups` magic variable: group name -> host names (all hosts of the group and its descendants). */
  groupMembers(): Record<string, string[]>;
  /** Hosts matching an Ansible host pattern (names, groups, globs, a:b, a:&b, a:!b, @file), in inventory order. */
  select(pattern: string): string[];
}
