// Resolves -i: an inventory file, a host list "a,b," (Ansible's form), or none (implicit localhost).

import { resolve } from 'node:path';
import type { Inventory } from '../core/inventory/types.js';
import { inventoryFromHostList, loadInventory } from '../core/inventory/index.js';

export function resolveInventory(arg: string | undefined, playbookDir?: string): Inventory {
  const value = arg ?? process.env.PROVISION_INVENTORY;
  if (!value) return inventoryFromHostList('');
  if (value.includes(',') && !value.includes('/')) return inventoryFromHostList(value);
  return loadInventory(resolve(value), playbookDir ? { playbookDir } : {});
}
