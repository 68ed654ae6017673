// Mode/owner/group: compare what a file has (fileStat fact) with what the task asks, and emit only
// the chmod/chown that are needed, so an unchanged file costs no action.

import { quote } from '../core/shell.js';
import type { FileStat } from '../facts/files.js';
import { resolveMode } from './args.js';
import type { ExecAction } from './types.js';

export interface WantedAttributes {
  mode?: string | undefined;
  owner?: string | undefined;
  group?: string | undefined;
}

const NUMERIC = /^\d+$/;

function sameOwner(want: string, name: string, id: number): boolean {
  return NUMERIC.test(want) ? Number(want) === id : want === name;
}

/** The chmod/chown actions that bring an existing path to the wanted attributes (none when it has them). */
export function attributeActions(path: string, stat: FileStat, want: WantedAttributes, options: { noFollow?: boolean } = {}): ExecAction[] {
  const actions: ExecAction[] = [];
  const p = quote(path);
  const isLink = stat.exists && stat.type === 'link';
  if (want.mode !== undefined && !isLink) {
    const mode = resolveMode(want.mode, stat.exists ? stat.mode : undefined, stat.exists && stat.type === 'directory');
    if (!stat.exists || stat.mode !== mode) actions.push({ kind: 'exec', command: `chmod ${mode} -- ${p}` });
  }
  const owner = want.owner !== undefined && (!stat.exists || !sameOwner(want.owner, stat.owner, stat.uid)) ? want.owner : undefined;
  const group = want.group !== undefined && (!stat.exists || !sameOwner(want.group, stat.group, stat.gid)) ? want.group : undefined;
  if (owner !== undefined || group !== undefined) {
    const spec = `${owner ?? ''}${group !== undefined ? `:${group}` : ''}`;
    actions.push({ kind: 'exec', command: `chown ${options.noFollow ? '-h ' : ''}${quote(spec)} -- ${p}` });
  }
  return actions;
}

/** The mode a `put` should carry: octal as is, symbolic resolved against the current file (or 0 when new). */
export function putMode(mode: string | undefined, stat: FileStat): string | undefined {
  if (mode === undefined) return undefined;
  return resolveMode(mode, stat.exists ? stat.mode : undefined, false);
}
