// Every check `run` makes before touching a host, without connecting (`provision validate`).

import { resolve } from 'node:path';
import { loadPlaybook } from '../core/playbook/index.js';
import { parseExtraVars } from './extra-vars.js';
import { renderHostPatterns, validateForRun } from './execute.js';
import { validatePlaybookHosts } from '../core/playbook/index.js';
import { inventoryFromHostList } from '../core/inventory/index.js';
import { resolveInventory } from './inventory-arg.js';
import { defaultRunOptions } from '../engine/options.js';

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
