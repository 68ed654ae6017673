// provision run PLAYBOOK -i INVENTORY [flags]

import type { Command } from 'commander';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { loadPlaybook } from '../../core/playbook/index.js';
import { executePlaybook } from '../execute.js';
import { resolveInventory } from '../inventory-arg.js';
import { addRunFlags, toRunOptions, type RunFlags } from '../run-flags.js';
import { setExitCode } from '../exit.js';

export function registerRunCommand(program: Command): void {
  const cmd = program.command('run').description('run a playbook against the hosts of an inventory').argument('<playbook>', 'playbook file');
  addRunFlags(cmd, { playbookFlags: true }).action(async (playbookArg: string, flags: RunFlags) => {
    const path = resolve(playbookArg);
    // Ansible's convention: the retry file sits beside the playbook, named after it.
    const retryFile = join(dirname(path), `${basename(path, extname(path))}.retry`);
    const options = toRunOptions(flags, { retryFile });
    const playbook = loadPlaybook(path, { extraVars: options.extraVars, rolesPath: flags.rolesPath ?? [] });
    const inventory = resolveInventory(flags.inventory, playbook.dir);
    setExitCode(await executePlaybook(playbook, inventory, options, flags));
  });
}
