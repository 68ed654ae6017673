// `ansible-inventory --graph`: a group's child groups first, then its own hosts ('all' lists no
// hosts of its own), nested with "  |" per level; a group under two parents shows under each.

import { InputError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Inventory } from './types.js';

export interface GraphOptions {
  /** The group to start at (default 'all'). */
  group?: string;
  /** Only these hosts are shown (from --limit). */
  hosts?: readonly string[];
}

export function inventoryGraph(inv: Inventory, options: GraphOptions = {}): string {
  const start = options.group ?? 'all';
  if (!inv.groups.has(start)) {
    throw new InputError(`--graph needs a group name: '${start}' is not a group`, undefined, didYouMean(start, inv.groups.keys()));
  }
  const wanted = new Set(options.hosts ?? inv.hostNames);
  const line = (name: string, depth: number) => (depth ? `${'  |'.repeat(depth)}--${name}` : name);
  const lines: string[] = [];
  const walk = (name: string, depth: number) => {
    const group = inv.groups.get(name);
    if (!group) return;
    lines.push(line(`@${name}:`, depth));
    for (const child of group.children) walk(child, depth + 1);
    if (name === 'all') return;
    for (const host of group.hosts) if (wanted.has(host)) lines.push(line(host, depth + 1));
  };
  walk(start, 0);
  return lines.join('\n');
}
