// provision lab up|down|status: the three Debian 12 hosts of vagrant/Vagrantfile (docs/LAB.md).

import { Option, type Command } from 'commander';
import { runLabScript } from '../../lab/run-lab-script.js';
import type { LabSubcommand } from '../../lab/errors.js';

const SUBCOMMANDS: Record<LabSubcommand, string> = {
  up: 'start the lab (installs the tools, builds the box, vagrant up); quick when it already runs',
  down: 'remove the guests, bridges and NAT rules (the box and the tools stay)',
  status: 'show each host and whether it answers over SSH (exit code 0 only when all do)',
};

export function registerLabCommand(program: Command): void {
  const lab = program
    .command('lab')
    .description('the test lab: lb01, lb02, web01, web02, mon01 on 192.168.56.0/24 (inventory/vagrant.yaml)');
  for (const [name, description] of Object.entries(SUBCOMMANDS) as [LabSubcommand, string][]) {
    lab
      .command(name)
      .description(description)
      .addOption(
        new Option('--provider <name>', 'Vagrant provider (default: lxc when root on Linux, else the one installed)').choices([
          'lxc',
          'virtualbox',
          'libvirt',
        ]),
      )
      .action(async (opts: { provider?: string }) => {
        const env = opts.provider ? { PROVISION_LAB_PROVIDER: opts.provider } : {};
        await runLabScript(name, { env });
      });
  }
}
