// provision validate PLAYBOOK [-i INVENTORY]: every check `run` makes before touching a host.

import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadPlaybook } from '../../core/playbook/index.js';
import { parseExtraVars } from '../extra-vars.js';
import { renderHostPatterns, validateForRun } from '../execute.js';
import { validatePlaybookHosts } from '../../core/playbook/index.js';
import { inventoryFromHostList } from '../../core/inventory/index.js';
import { resolveInventory } from '../inventory-arg.js';
import { defaultRunOptions } from '../../engine/options.js';
import { collectRolesPath } from '../run-flags.js';

export interface ValidateFlags {
  inventory?: string;
  limit?: string;
  extraVars?: string[];
  rolesPath?: string[];
}

/** Every check `run` makes before touching a host; returns the line saying what is valid, or throws InputError(s). */
export function validatePlaybookFile(playbookArg: string, flags: ValidateFlags): string {
  const extraVars = parseExtraVars(flags.extraVars ?? []);
  const playbook = loadPlaybook(resolve(playbookArg), { extraVars, rolesPath: flags.rolesPath ?? [] });
  const tasks = playbook.plays.reduce((n, p) => n + p.tasks.length + p.handlers.length, 0);
  const roles = new Set(playbook.plays.flatMap((p) => p.roles.map((r) => r.name)));
  if (flags.inventory) {
    const inventory = resolveInventory(flags.inventory, playbook.dir);
    validateForRun(playbook, inventory, { ...defaultRunOptions, extraVars, ...(flags.limit ? { limit: flags.limit } : {}) });
  } else {
    // Without an inventory the patterns can still be checked for syntax (no host matches, quietly).
    renderHostPatterns(playbook, extraVars);
    validatePlaybookHosts(playbook, inventoryFromHostList('', { warn: () => undefined }));
  }
  return `${playbookArg}: valid (${playbook.plays.length} plays, ${roles.size} roles, ${tasks} tasks and handlers${flags.inventory ? ', variables and host patterns checked against the inventory' : ''})\n`;
}

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
    .action((playbookArg: string, flags: ValidateFlags) => {
      process.stdout.write(validatePlaybookFile(playbookArg, flags));
    });
}
