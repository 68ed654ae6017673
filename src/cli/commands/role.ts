// provision role NAME -i INVENTORY --limit HOSTS: rerun one role ad hoc, with its defaults and handlers.
// The command is declared here; what it runs is imported when it runs, so --help loads nothing heavy.

import type { Command } from 'commander';
import { addRunFlags, type RunFlags } from '../run-flag-declarations.js';

export function registerRoleCommand(program: Command): void {
  const cmd = program
    .command('role')
    .description('run one role on some hosts (its defaults, tasks and handlers), like a one-role play')
    .argument('<name>', 'role name (looked up in ./roles)')
    .option('--hosts <PATTERN>', 'hosts the role targets before --limit', 'all')
    .option('--no-become', 'do not become root (the default is to become)');
  addRunFlags(cmd, { playbookFlags: true }).action(async (name: string, flags: RunFlags & { hosts: string; become: boolean }) => {
    const [{ loadRoleAsPlay }, { executePlaybook }, { resolveInventory }, { toRunOptions }, { setExitCode }] = await Promise.all([
      import('../../core/playbook/index.js'),
      import('../execute.js'),
      import('../inventory-arg.js'),
      import('../run-flags.js'),
      import('../exit.js'),
    ]);
    const options = toRunOptions(flags, { retryFile: false });
    const playbook = loadRoleAsPlay(name, flags.hosts, { extraVars: options.extraVars, rolesPath: flags.rolesPath ?? [] });
    for (const play of playbook.plays) play.become = flags.become;
    const inventory = resolveInventory(flags.inventory, playbook.dir);
    setExitCode(await executePlaybook(playbook, inventory, options, flags));
  });
}
