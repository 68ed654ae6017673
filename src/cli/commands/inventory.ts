// provision inventory -i FILE --list | --graph [GROUP] | --host NAME: what ansible-inventory shows.
// The command is declared here; the views (cli/inventory-view.ts) are imported when it runs.

import type { Command } from 'commander';
import type { InventoryCommandFlags } from '../inventory-view.js';

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
    .action(async (flags: InventoryCommandFlags) => {
      const { showInventory } = await import('../inventory-view.js');
      write(showInventory(flags));
    });
}
