// The shared half of copy and template (and the writers lineinfile/blockinfile/sysctl): compare the
// wanted content's sha256 with the fileStat fact, and only when they differ emit one atomic `put`
// (the engine writes a temp file beside the target, validates it, renames it). Attributes alone
// are fixed with chmod/chown, without uploading anything.

import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { fileContent, fileStat, type FileStat } from '../facts/files.js';
import { textDiff } from './diff.js';
import { attributeActions, putMode, type WantedAttributes } from './file-attrs.js';
import type { Action, ActionOutput, ModuleContext, Plan } from './types.js';

export interface WriteRequest extends WantedAttributes {
  dest: string;
  content: Buffer;
  /** Name of the local source file: a dest that is a directory (or ends with /) receives this name. */
  sourceName?: string | undefined;
  backup?: boolean | undefined;
  validate?: string | undefined;
  /** false: never replace an existing file (only create a missing one). */
  force?: boolean | undefined;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function planWrite(req: WriteRequest, ctx: ModuleContext): Promise<Plan> {
  let dest = req.dest;
  const base = req.sourceName ? posix.basename(req.sourceName) : undefined;
  if (dest.endsWith('/')) {
    if (!base) return { actions: [], failed: `dest ${dest} is a directory: name the file to write` };
    dest = posix.join(dest, base);
  }
  // Both candidates in one round trip: dest itself, and dest/NAME in case dest is a directory.
  const inside = base && !req.dest.endsWith('/') ? posix.join(dest, base) : undefined;
  const [destStat, insideStat] = await ctx.facts.getAll([fileStat(dest), fileStat(inside ?? dest)] as const);
  let stat: FileStat = destStat;
  if (destStat.exists && destStat.type === 'directory') {
    if (!inside) return { actions: [], failed: `dest ${dest} is a directory` };
    dest = inside;
    stat = insideStat;
  }
  if (stat.exists && stat.type === 'directory') return { actions: [], failed: `dest ${dest} is a directory` };

  const checksum = sha256(req.content);
  const result = { dest, checksum, size: req.content.length };
  const want: WantedAttributes = { mode: req.mode, owner: req.owner, group: req.group };
  const same = stat.exists && stat.sha256 === checksum;
  if (same || (stat.exists && req.force === false)) {
    const actions = attributeActions(dest, stat, want);
    return { actions, result, reason: same ? 'content unchanged' : 'file exists and force is off' };
  }

  const actions: Action[] = [
    {
      kind: 'put',
      path: dest,
      content: req.content,
      ...(putMode(req.mode, stat) !== undefined ? { mode: putMode(req.mode, stat) } : {}),
      ...(req.owner !== undefined ? { owner: req.owner } : {}),
      ...(req.group !== undefined ? { group: req.group } : {}),
      ...(req.validate !== undefined ? { validate: req.validate } : {}),
      ...(req.backup ? { backup: true } : {}),
      // A dest ending in / names a directory, which Ansible creates (with its parents) when missing.
      ...(req.dest.endsWith('/') && !stat.exists ? { makeParents: true } : {}),
    },
  ];
  const plan: Plan = { actions, result, reason: stat.exists ? 'content differs' : 'file is missing' };
  if (ctx.diff) {
    // A second round trip, only when the file changes and a diff was asked for.
    const before = stat.exists && stat.type === 'file' ? await ctx.facts.get(fileContent(dest)) : { exists: false as const };
    const diff = textDiff(dest, before.exists ? before.content : Buffer.alloc(0), req.content);
    if (diff) plan.diff = [diff];
  }
  return plan;
}

/** The backup a `put` made (its script prints the name), registered as Ansible does (copy: backup_file). */
export function backupFrom(outputs: readonly ActionOutput[]): string | undefined {
  const put = outputs.find((o) => o.action.kind === 'put' && o.action.backup === true);
  const name = put?.stdout.trim();
  return name ? name : undefined;
}
