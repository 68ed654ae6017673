// The inventory: Ansible's YAML inventory format, host patterns, and ansible-inventory's views.

export type { Inventory, InventoryGroup } from './types.js';
export { loadInventory, inventoryFromHostList, type LoadInventoryOptions } from './inventory.js';
export { HostPatternError, LOCALHOST_NAMES, splitHostPattern } from './patterns.js';
export { inventoryToAnsibleJson, formatAnsibleJson, type AnsibleInventoryJson } from './ansible-json.js';
export { inventoryGraph } from './graph.js';
