// A minimal Inventory for loader tests (the real one is written elsewhere).
import { InputError } from '../../../src/core/errors.js';
import type { Inventory, InventoryGroup } from '../../../src/core/inventory/types.js';

export function fakeInventory(groups: Record<string, string[]>, hostVars: Record<string, Record<string, unknown>> = {}): Inventory {
  const hostNames = [...new Set(Object.values(groups).flat())];
  const map = new Map<string, InventoryGroup>(
    Object.entries({ all: hostNames, ...groups }).map(([name, hosts]) => [name, { name, hosts, children: [], vars: {}, priority: 1 }]),
  );
  return {
    source: 'fake.yaml',
    hostNames,
    groups: map,
    hostVars: (h) => ({ ...hostVars[h] }),
    groupsOf: (h) => ['all', ...Object.entries(groups).filter(([, hs]) => hs.includes(h)).map(([g]) => g)],
    groupMembers: () => ({ all: hostNames, ...groups }),
    select(pattern) {
      if (!pattern || /[:&!]$/.test(pattern)) throw new InputError(`incomplete pattern '${pattern}'`);
      if (pattern === 'all') return hostNames;
      return pattern.split(':').flatMap((p) => map.get(p)?.hosts ?? (hostNames.includes(p) ? [p] : []));
    },
  };
}
