// The differences between two observations, as short lines a reader can act on.

import type { Observation } from './types.js';

function listDiff(label: string, provision: string[], ansible: string[]): string[] {
  if (JSON.stringify(provision) === JSON.stringify(ansible)) return [];
  return [`${label}: provision [${provision.join(', ')}] ansible [${ansible.join(', ')}]`];
}

function treeDiff(label: string, provision: string[], ansible: string[]): string[] {
  const a = new Set(ansible);
  const p = new Set(provision);
  return [
    ...provision.filter((l) => !a.has(l)).map((l) => `${label}: only provision: ${l}`),
    ...ansible.filter((l) => !p.has(l)).map((l) => `${label}: only ansible: ${l}`),
  ];
}

export function differences(provision: Observation, ansible: Observation): string[] {
  return [
    ...listDiff('run', provision.run, ansible.run),
    ...treeDiff('tree', provision.tree, ansible.tree),
    ...listDiff('rerun', provision.rerun, ansible.rerun),
    ...treeDiff('tree after rerun', provision.retree, ansible.retree),
    ...listDiff('check', provision.check, ansible.check),
    ...treeDiff('tree after check', provision.checkTree, ansible.checkTree),
  ];
}
