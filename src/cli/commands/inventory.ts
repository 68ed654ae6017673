// provision inventory -i FILE --list | --graph [GROUP] | --host NAME: what ansible-inventory shows,
// as a thin layer over the pure views in core/inventory.

import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { formatAnsibleJson, inventoryGraph, inventoryToAnsibleJson, type Inventory } from '../../core/inventory/index.js';
import { processSecrets, Secrets } from '../../core/mask.js';
import { secretValues } from '../../engine/secrets.js';
import { resolveInventory } from '../inventory-arg.js';

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

export function registerInventoryCommand(
  program: Command,
  write: (text: string) => void = (text) => process.stdout.write(text),
): void {
  program
    .command('inventory')
    .description('show the inventory as ansible-inventory does (--list JSON, --graph tree, --host vars)')
    .option('-i, --inventory <FILE>', 'inventory file, or a host list such as "web01,web02,"')
    .option('--list', 'all groups and hosts as JSON, with each host\'s variables under _meta.hostvars')
    .option('--graph [GROUP]', 'the group tree (from GROUP, default all)')
    .option('--host <NAME>', "one host's variables as JSON")
    .option('-l, --limit <PATTERN>', 'only hosts matching this pattern (for --list and --graph)')
    .option('--playbook-dir <DIR>', "also read group_vars/ and host_vars/ beside the playbook in DIR")
    .option('--vault-password-file <FILE>', 'password of the vault files read (first line); default: PROVISION_VAULT_PASSWORD, else a prompt')
    .action((flags: InventoryCommandFlags) => {
      const inv = resolveInventory(flags.inventory, flags.playbookDir);
      // Secrets stay masked here too: vault values and secret-named variables (docs/VARIABLES.md).
      const secrets = new Secrets();
      secrets.addAll(processSecrets.list());
      for (const host of inv.hostNames) secrets.addAll(secretValues(inv.hostVars(host)));
      write(secrets.mask(inventoryCommandOutput(inv, flags)) + '\n');
    });
}
