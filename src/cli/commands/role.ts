// provision role NAME -i INVENTORY --limit HOSTS: rerun one role ad hoc, with its defaults and handlers.

import type { Command } from 'commander';
import { loadRoleAsPlay } from '../../core/playbook/index.js';
import { executePlaybook } from '../execute.js';
import { resolveInventory } from '../inventory-arg.js';
import { addRunFlags, toRunOptions, type RunFlags } from '../run-flags.js';
import { setExitCode } from '../exit.js';

export function registerRoleCommand(program: Command): void {
  const cmd = program
    .command('role')
    .description('run one role on some hosts (its defaults, tasks and handlers), like a one-role play')
    .argument('<name>', 'role name (looked up in ./roles)')
    .option('--hosts <PATTERN>', 'hosts the role targets before --limit', 'all')
    .option('--no-become', 'do not become root (the default is to become)');
  addRunFlags(cmd, { playbookFlags: true }).action(async (name: string, flags: RunFlags & { hosts: string; become: boolean }) => {
    const options = toRunOptions(flags, { retryFile: false });
    const playbook = loadRoleAsPlay(name, flags.hosts, { extraVars: options.extraVars, rolesPath: flags.rolesPath ?? [] });
    for (const play of playbook.plays) play.become = flags.become;
    const inventory = resolveInventory(flags.inventory, playbook.dir);
    setExitCode(await executePlaybook(playbook, inventory, options, flags));
  });
}
