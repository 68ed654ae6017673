// What `provision inventory` prints (--list, --graph, --host), as a thin layer over the pure views
// in core/inventory, with secrets masked.

import { UsageError } from '../core/errors.js';
import { formatAnsibleJson, inventoryGraph, inventoryToAnsibleJson, type Inventory } from '../core/inventory/index.js';
import { processSecrets, Secrets } from '../core/mask.js';
import { secretValues } from '../engine/secrets.js';
import { resolveInventory } from './inventory-arg.js';

export interface InventoryCommandFlags {
  inventory?: string;
  list?: boolean;
  /** true for a bare --graph, or the group to start at. */
  graph?: string | boolean;
  host?: string;
  limit?: string;
  playbookDir?: string;
}

/** The text the command prints (without the final newline). */
export function inventoryCommandOutput(inv: Inventory, flags: InventoryCommandFlags): string {
  const modes = [flags.list, flags.graph, flags.host].filter((m) => m !== undefined && m !== false);
  if (modes.length !== 1) throw new UsageError('provision inventory: give exactly one of --list, --graph or --host');
  if (flags.host !== undefined) return formatAnsibleJson(inv.hostVars(flags.host));
  const hosts = flags.limit === undefined ? undefined : inv.select(flags.limit);
  if (flags.list) return formatAnsibleJson(inventoryToAnsibleJson(inv, hosts ? { hosts } : {}));
  const group = typeof flags.graph === 'string' ? flags.graph : undefined;
  return inventoryGraph(inv, { ...(group ? { group } : {}), ...(hosts ? { hosts } : {}) });
}

/** The command's whole output for these flags, secrets masked: vault values and secret-named variables (docs/VARIABLES.md). */
export function showInventory(flags: InventoryCommandFlags): string {
  const inv = resolveInventory(flags.inventory, flags.playbookDir);
  const secrets = new Secrets();
  secrets.addAll(processSecrets.list());
  for (const host of inv.hostNames) secrets.addAll(secretValues(inv.hostVars(host)));
  return secrets.mask(inventoryCommandOutput(inv, flags)) + '\n';
}
