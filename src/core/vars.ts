// Variable precedence (lowest first; docs/VARIABLES.md):
//   role defaults < inventory (all < parent groups < child groups < host, pre-merged by the inventory)
//   < play vars (vars_files included) < role vars < role params < task vars (+ include params)
//   < registered vars and set_facts < extra vars.
// Merging is shallow, as Ansible's default (hash_behaviour=replace): a later dict replaces an earlier one.

import type { Inventory } from './inventory/types.js';
import type { RoleContext } from './playbook/types.js';
import { NOT_TEMPLATED } from './template-scope.js';

export interface VarLayers {
  roleDefaults?: Record<string, unknown>;
  /** inventory.hostVars(host): groups and host already merged by the inventory. */
  inventory?: Record<string, unknown>;
  play?: Record<string, unknown>;
  roleVars?: Record<string, unknown>;
  roleParams?: Record<string, unknown>;
  task?: Record<string, unknown>;
  /** Registered results and set_fact values of this host. */
  runtime?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** The layers in precedence order, lowest first (exported for docs and tests). */
export const PRECEDENCE: readonly (keyof VarLayers)[] = [
  'roleDefaults', 'inventory', 'play', 'roleVars', 'roleParams', 'task', 'runtime', 'extra',
];

export function composeTaskVars(layers: VarLayers): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of PRECEDENCE) Object.assign(out, layers[name]);
  return out;
}

export interface MagicVarsInput {
  host: string;
  inventory: Inventory;
  /** All variables of another host (inventory + facts + registered), computed only when used. */
  hostvars?: (host: string) => Record<string, unknown>;
  playHosts: readonly string[];
  check?: boolean;
  diff?: boolean;
  role?: Pick<RoleContext, 'name' | 'path'>;
  playbookDir?: string;
}

/** A read-only host -> vars map that computes each host's vars on first use. */
export function lazyHostvars(hosts: readonly string[], varsOf: (host: string) => Record<string, unknown>): Record<string, Record<string, unknown>> {
  const known = new Set(hosts);
  const memo = new Map<string, Record<string, unknown>>();
  const get = (h: string): Record<string, unknown> => {
    let v = memo.get(h);
    if (!v) memo.set(h, (v = varsOf(h)));
    return v;
  };
  return new Proxy(Object.create(null) as Record<string, Record<string, unknown>>, {
    get: (_t, key) => {
      if (key === NOT_TEMPLATED) return true;
      return typeof key === 'string' && known.has(key) ? get(key) : undefined;
    },
    has: (_t, key) => typeof key === 'string' && known.has(key),
    ownKeys: () => [...known],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && known.has(key) ? { configurable: true, enumerable: true, value: get(key) } : undefined,
  });
}

/** Ansible's magic variables for one host (they sit below every other layer in the final merge). */
export function magicVars(input: MagicVarsInput): Record<string, unknown> {
  const { host, inventory } = input;
  const vars: Record<string, unknown> = {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0] ?? host,
    groups: inventory.groupMembers(),
    group_names: inventory.groupsOf(host).filter((g) => g !== 'all' && g !== 'ungrouped').sort(),
    hostvars: lazyHostvars(inventory.hostNames, input.hostvars ?? ((h) => inventory.hostVars(h))),
    play_hosts: [...input.playHosts],
    ansible_play_hosts: [...input.playHosts],
    ansible_play_batch: [...input.playHosts],
    ansible_check_mode: input.check ?? false,
    ansible_diff_mode: input.diff ?? false,
  };
  if (input.role) {
    vars.role_name = input.role.name;
    vars.role_path = input.role.path;
  }
  if (input.playbookDir !== undefined) vars.playbook_dir = input.playbookDir;
  return vars;
}
