// provision validate PLAYBOOK [-i INVENTORY]: every check `run` makes before touching a host.
// The command is declared here; the checks (cli/validate-playbook.ts) are imported when it runs.

import type { Command } from 'commander';
import { collectRolesPath } from '../run-flag-declarations.js';
import type { ValidateFlags } from '../validate-playbook.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .alias('check')
    .description('load and validate a playbook, its roles, templates and variables, without connecting')
    .argument('<playbook>', 'playbook file')
    .option('-i, --inventory <FILE>', 'also check host patterns and variables against this inventory')
    .option('-l, --limit <PATTERN>', 'also check this host pattern')
    .option('-e, --extra-vars <VARS>', 'extra variables (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .option('--vault-password-file <FILE>', 'password of the vault files read (first line); default: PROVISION_VAULT_PASSWORD, else a prompt')
    .option('--roles-path <DIRS>', 'more directories to look for roles in, after roles/ (colon-separated, repeatable)', collectRolesPath)
    .action(async (playbookArg: string, flags: ValidateFlags) => {
      const { validatePlaybookFile } = await import('../validate-playbook.js');
      process.stdout.write(validatePlaybookFile(playbookArg, flags));
    });
}
