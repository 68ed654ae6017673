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
/**
 * `creating` says what the plan is about to create where nothing exists yet, so that a symbolic mode
 * (u+x) starts from the usual 0644 / 0755 rather than from nothing.
 */
export function attributeActions(
  path: string,
  stat: FileStat,
  want: WantedAttributes,
  options: { noFollow?: boolean; creating?: 'file' | 'directory' } = {},
): ExecAction[] {
  const actions: ExecAction[] = [];
  const p = quote(path);
  const isLink = stat.exists && stat.type === 'link';
  if (want.mode !== undefined && !isLink) {
    const isDirectory = stat.exists ? stat.type === 'directory' : options.creating === 'directory';
    const base = stat.exists ? stat.mode : isDirectory ? '0755' : '0644';
    const mode = resolveMode(want.mode, base, isDirectory);
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
  return resolveMode(mode, stat.exists ? stat.mode : '0644', false);
}
