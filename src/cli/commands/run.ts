// provision run PLAYBOOK -i INVENTORY [flags]
// The command is declared here; what it runs is imported when it runs, so --help loads nothing heavy.

import type { Command } from 'commander';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { addRunFlags, type RunFlags } from '../run-flag-declarations.js';

export function registerRunCommand(program: Command): void {
  const cmd = program.command('run').description('run a playbook against the hosts of an inventory').argument('<playbook>', 'playbook file');
  addRunFlags(cmd, { playbookFlags: true }).action(async (playbookArg: string, flags: RunFlags) => {
    const [{ loadPlaybook }, { executePlaybook }, { resolveInventory }, { toRunOptions }, { setExitCode }] = await Promise.all([
      import('../../core/playbook/index.js'),
      import('../execute.js'),
      import('../inventory-arg.js'),
      import('../run-flags.js'),
      import('../exit.js'),
    ]);
    const path = resolve(playbookArg);
    // Ansible's convention: the retry file sits beside the playbook, named after it.
    const retryFile = join(dirname(path), `${basename(path, extname(path))}.retry`);
    const options = toRunOptions(flags, { retryFile });
    const playbook = loadPlaybook(path, { extraVars: options.extraVars, rolesPath: flags.rolesPath ?? [] });
    const inventory = resolveInventory(flags.inventory, playbook.dir);
    setExitCode(await executePlaybook(playbook, inventory, options, flags));
  });
}
