// packageStates merged: the probes of one batch (an apt task's packages, the next apt task's) ask
// one dpkg-query for all their packages. Exact because dpkg-query -W walks its database in its own
// order and prints each package once, whatever the other names asked; so each probe's lines are
// the lines of its own names, in the same order as alone. Only for plain package names (no glob, no
// architecture): then a line's Package field is the name asked, and nothing else can match it.

import { quoteAll } from '../core/shell.js';
import type { ProbeFamily } from './types.js';

export const DPKG_FORMAT = '${Package}\\t${db:Status-Status}\\t${Version}\\n';

/** The dpkg-query command for these names (sorted, distinct); unknown names only cost a message on stderr. */
export function dpkgQuery(names: readonly string[]): string {
  // dpkg-query exits 1 when some name is unknown; the known ones are still printed. `exec`: the probe's
  // own shell becomes dpkg-query instead of starting it as one more process.
  return `exec dpkg-query -W -f='${DPKG_FORMAT}' -- ${quoteAll(names)} 2>/dev/null`;
}

/** dpkg-query's exit codes when it printed what it knows: 0, or 1 when some name is unknown. */
export const DPKG_ANSWERED = new Set([0, 1]);

/** A name dpkg-query matches only to the package of that name (any architecture). */
export const PLAIN_PACKAGE = /^[a-z0-9][a-z0-9+.-]*$/;

export const packageStatesFamily: ProbeFamily<readonly string[]> = {
  name: 'packages.state',
  command: (lists) => dpkgQuery([...new Set(lists.flat())].sort()),
  split: (result, lists) => {
    if (!DPKG_ANSWERED.has(result.code) || result.stderr !== '') return undefined;
    const lines = result.stdout.split('\n');
    if (lines.pop() !== '') return undefined;
    const asked = new Set(lists.flat());
    const packageOf = (line: string) => line.slice(0, line.indexOf('\t'));
    if (!lines.every((line) => line.includes('\t') && asked.has(packageOf(line)))) return undefined;
    return lists.map((names) => {
      const own = new Set(names);
      const mine = lines.filter((line) => own.has(packageOf(line)));
      // As its own run: 1 when one of its names is unknown (no line for it).
      const code = names.every((name) => mine.some((line) => packageOf(line) === name)) ? 0 : 1;
      return { code, stdout: mine.map((line) => `${line}\n`).join(''), stderr: '' };
    });
  },
};
