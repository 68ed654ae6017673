// serviceState merged: the service probes of one batch ask one `systemctl show` for all their units.
// systemctl prints one block of properties per unit named, in the order named, with an empty line
// between blocks; each block is what the unit's own `systemctl show` prints. Only for names without
// glob characters; anything unexpected (a failure, a warning, a block too many or too few) and the
// probes run one by one.

import { quoteAll } from '../core/shell.js';
import type { ProbeFamily } from './types.js';

export const SERVICE_PROPERTIES = 'LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload';

/**
 * `systemctl show` of these units' properties. `exec`: the probe's own shell (a fork of the driver)
 * becomes systemctl instead of starting it as one more process (bash does not do that for `eval`).
 */
export function systemctlShow(units: readonly string[]): string {
  return `exec systemctl show -p ${SERVICE_PROPERTIES} -- ${quoteAll(units)}`;
}

/** A unit name systemctl takes as it is (no pattern to expand). */
export const PLAIN_UNIT = /^[A-Za-z0-9:_.@\\-]+$/;

const PROPERTY_LINE = /^[A-Za-z]+=/;

export const serviceStateFamily: ProbeFamily<string> = {
  name: 'service',
  command: (units) => systemctlShow(units),
  split: (result, units) => {
    if (result.code !== 0 || result.stderr !== '') return undefined;
    const lines = result.stdout.split('\n');
    if (lines.pop() !== '') return undefined;
    const blocks: string[][] = [[]];
    for (const line of lines) {
      if (line === '') blocks.push([]);
      else if (PROPERTY_LINE.test(line)) blocks[blocks.length - 1]?.push(line);
      else return undefined;
    }
    if (blocks.length !== units.length || !blocks.every((b) => b.some((l) => l.startsWith('LoadState=')))) return undefined;
    return blocks.map((block) => ({ code: 0, stdout: block.map((l) => `${l}\n`).join(''), stderr: '' }));
  },
};
