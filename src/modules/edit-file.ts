// The shared plan of modules that edit a file in place (lineinfile, blockinfile, sysctl): read the
// stat and the content in one round trip, compute the new text with a pure function, and emit one
// atomic `put` only when the text changes (chmod/chown alone otherwise).

import { fileContent, fileStat } from '../facts/files.js';
import { textDiff } from './diff.js';
import { attributeActions, putMode, type WantedAttributes } from './file-attrs.js';
import type { Action, ModuleContext, Plan } from './types.js';

export interface EditRequest extends WantedAttributes {
  path: string;
  /** Create the file when it is missing (otherwise a missing file fails the task). */
  create: boolean;
  backup?: boolean | undefined;
  validate?: string | undefined;
  /** A missing file with state=absent is simply fine. */
  absentIsOk?: boolean;
  /** The new text from the current one ('' for a missing file). */
  edit(current: string): { content: string; changed: boolean; msg: string };
}

export async function planEdit(req: EditRequest, ctx: ModuleContext): Promise<Plan> {
  const [stat, current] = await ctx.facts.getAll([fileStat(req.path, { checksum: false }), fileContent(req.path)] as const);
  if (stat.exists && stat.type === 'directory') return { actions: [], failed: `${req.path} is a directory` };
  if (!current.exists) {
    if (req.absentIsOk) return { actions: [], reason: `${req.path} does not exist` };
    if (!req.create) {
      const msg = `Destination ${req.path} does not exist !`;
      // In check mode an earlier task may be the one that creates the file: predict the edit on an empty file.
      if (!ctx.check) return { actions: [], failed: msg };
    }
  }
  const before = current.exists ? current.content.toString('utf8') : '';
  const result = req.edit(before);
  const want: WantedAttributes = { mode: req.mode, owner: req.owner, group: req.group };
  if (!result.changed && current.exists) {
    return { actions: attributeActions(req.path, stat, want), reason: 'content unchanged', result: { msg: '' } };
  }
  if (!result.changed && !current.exists && !req.create) {
    return { actions: [], reason: `${req.path} does not exist (check mode)`, result: { msg: '' } };
  }
  const mode = putMode(req.mode, stat);
  const actions: Action[] = [
    {
      kind: 'put',
      path: req.path,
      content: Buffer.from(result.content, 'utf8'),
      ...(mode !== undefined ? { mode } : {}),
      ...(req.owner !== undefined ? { owner: req.owner } : {}),
      ...(req.group !== undefined ? { group: req.group } : {}),
      ...(req.validate !== undefined ? { validate: req.validate } : {}),
      ...(req.backup ? { backup: true } : {}),
      // Ansible's `create` also creates the missing directories above the file.
      ...(!current.exists && req.create ? { makeParents: true } : {}),
    },
  ];
  const plan: Plan = { actions, reason: result.msg || 'file created', result: { msg: result.msg || 'file created' } };
  if (ctx.diff) {
    const diff = textDiff(req.path, Buffer.from(before, 'utf8'), Buffer.from(result.content, 'utf8'));
    if (diff) plan.diff = [diff];
  }
  return plan;
}
