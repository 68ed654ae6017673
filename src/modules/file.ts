// file: make a path a directory, a file (existing only), a symlink, absent, or touched, with
// mode/owner/group, optionally recursively. One round of probes decides everything.

import { posix } from 'node:path';
import { z } from 'zod';
import { quote, quoteAll } from '../core/shell.js';
import { fileStat, pathExists, treeDiffers, treeModes, type FileStat, type TreeEntry } from '../facts/files.js';
import type { Probe } from '../facts/types.js';
import { argSpec, PATH_ALIASES } from './arg-spec.js';
import { attributeArgs, bool, isSymbolicMode, resolveMode } from './args.js';
import { attributeActions } from './file-attrs.js';
import { defineModule, type ExecAction, type ModuleContext, type Plan } from './types.js';

const args = argSpec(
  {
    path: z.string().min(1),
    state: z.enum(['directory', 'file', 'link', 'absent', 'touch']).optional(),
    src: z.string().min(1).optional(),
    recurse: bool().default(false),
    force: bool().default(false),
    ...attributeArgs,
  },
  {
    aliases: PATH_ALIASES,
    requiredIf: [['state', 'link', ['src']]],
    checks: [
      [(a) => a.src === undefined || a.state === 'link', 'src is only used with state=link'],
      [(a) => !a.recurse || a.state === undefined || a.state === 'directory', 'recurse requires state=directory'],
    ],
  },
);

type Args = z.output<typeof args>;

const ok = (actions: ExecAction[], reason: string): Plan => ({ actions, reason });

export default defineModule({
  name: 'file',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.file'],
  args,
  async plan(a, ctx) {
    const state = a.state ?? (a.recurse ? 'directory' : undefined);
    // state=directory/file/touch, and no state at all (attributes only), follow a symlink to what it
    // points to, as Ansible's default follow=yes does; link and absent look at the path itself.
    const follow = state === 'directory' || state === 'file' || state === 'touch' || state === undefined;
    const probes: Probe<unknown>[] = [fileStat(a.path, { follow, checksum: false })];
    const linkSrc = state === 'link' && a.src !== undefined ? posix.resolve(posix.dirname(a.path), a.src) : undefined;
    if (linkSrc !== undefined) probes.push(pathExists(linkSrc));
    const treeMode = a.mode !== undefined && !isSymbolicMode(a.mode) ? resolveMode(a.mode, undefined, true) : undefined;
    if (a.recurse) probes.push(treeDiffers(a.path, { owner: a.owner, group: a.group, mode: treeMode }));
    const symbolicRecurse = a.recurse && a.mode !== undefined && treeMode === undefined;
    if (symbolicRecurse) probes.push(treeModes(a.path));
    const [stat, ...rest] = (await ctx.facts.getAll(probes)) as [FileStat, ...unknown[]];
    const want = { mode: a.mode, owner: a.owner, group: a.group };

    switch (state ?? (stat.exists ? undefined : 'file')) {
      case undefined: // no state given and the path exists: only its attributes are managed
        return ok(attributeActions(a.path, stat, want), 'attributes');
      case 'absent':
        return stat.exists ? ok([{ kind: 'exec', command: `rm -rf -- ${quote(a.path)}` }], `${a.path} exists`) : ok([], 'already absent');
      case 'touch':
        // Ansible's touch always updates the times, so it is always a change.
        return ok([{ kind: 'exec', command: `touch -- ${quote(a.path)}` }, ...attributeActions(a.path, stat, want, { creating: 'file' })], 'touch');
      case 'file':
        return planFile(a, stat, ctx);
      case 'directory':
        return planDirectory(a, stat, symbolicDiffers(a.mode, rest[0] as boolean | undefined, rest[1] as TreeEntry[] | undefined), treeMode);
      case 'link':
        return planLink(a, stat, rest[0] as boolean, ctx);
    }
  },
});

/** With a symbolic mode, the tree differs when any entry's mode would change (or owner/group differ). */
function symbolicDiffers(mode: string | undefined, ownerDiffers: boolean | undefined, entries: TreeEntry[] | undefined): boolean | undefined {
  if (entries === undefined || mode === undefined) return ownerDiffers;
  const modeDiffers = entries.some((e) => e.type !== 'l' && resolveMode(mode, e.mode, e.type === 'd') !== e.mode);
  return modeDiffers || ownerDiffers !== false;
}

function planFile(a: Args, stat: FileStat, ctx: ModuleContext): Plan {
  const want = { mode: a.mode, owner: a.owner, group: a.group };
  if (!stat.exists) {
    const msg = `file (${a.path}) is absent, cannot continue`;
    // Check mode must not fail on a file an earlier (skipped) task would have created.
    if (ctx.check) return { actions: attributeActions(a.path, stat, want, { creating: 'file' }), reason: `${msg} (unless an earlier task creates it)` };
    return { actions: [], failed: msg };
  }
  if (stat.type === 'directory') return { actions: [], failed: `${a.path} is a directory, not a file` };
  return ok(attributeActions(a.path, stat, want), 'file exists');
}

function planDirectory(a: Args, stat: FileStat, treeDiffers: boolean | undefined, treeMode: string | undefined): Plan {
  const p = quote(a.path);
  if (stat.exists && stat.type !== 'directory') {
    return { actions: [], failed: `${a.path} exists and is not a directory (it is a ${stat.type})` };
  }
  if (!stat.exists && !a.recurse && (a.mode !== undefined || a.owner !== undefined || a.group !== undefined)) {
    return ok([createEachDirectory(a)], 'directory is missing');
  }
  const actions: ExecAction[] = stat.exists ? [] : [{ kind: 'exec', command: `mkdir -p -- ${p}` }];
  if (a.recurse && (treeDiffers !== false || !stat.exists)) {
    // Ansible's recurse gives files and directories the same mode and ownership.
    const mode = a.mode !== undefined ? (treeMode ?? a.mode) : undefined;
    if (mode !== undefined) actions.push({ kind: 'exec', command: `chmod -R ${quote(mode)} -- ${p}` });
    if (a.owner !== undefined || a.group !== undefined) {
      actions.push({ kind: 'exec', command: `chown -R ${quote(`${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`)} -- ${p}` });
    }
    return ok(actions, 'recursive attributes differ');
  }
  // find already checked the directory itself along with everything under it.
  if (a.recurse) return ok(actions, 'tree as asked');
  actions.push(...attributeActions(a.path, stat, { mode: a.mode, owner: a.owner, group: a.group }, { creating: 'directory' }));
  return ok(actions, stat.exists ? 'directory exists' : 'directory is missing');
}

/**
 * Like Ansible, every directory the task creates (the missing parents too, not only the last) gets
 * the mode and ownership, as it is made; directories that already exist are left as they are.
 */
function createEachDirectory(a: Args): ExecAction {
  const parts = a.path.split('/').filter((part) => part !== '');
  const root = a.path.startsWith('/') ? '/' : '';
  const paths = parts.map((_, i) => root + parts.slice(0, i + 1).join('/'));
  const owner = a.owner !== undefined || a.group !== undefined ? `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}` : undefined;
  const steps = [
    'mkdir -- "$d"',
    ...(a.mode !== undefined ? [`chmod ${resolveMode(a.mode, '0755', true)} -- "$d"`] : []),
    ...(owner !== undefined ? [`chown ${quote(owner)} -- "$d"`] : []),
  ];
  return { kind: 'exec', command: `for d in ${quoteAll(paths)}; do [ -e "$d" ] || { ${steps.join(' && ')}; } || exit 1; done` };
}

function planLink(a: Args, stat: FileStat, srcExists: boolean, ctx: ModuleContext): Plan {
  const src = a.src as string;
  const p = quote(a.path);
  const chown = (s: FileStat) => attributeActions(a.path, s, { owner: a.owner, group: a.group }, { noFollow: true });
  if (stat.exists && stat.type === 'link' && stat.linkTarget === src) return ok(chown(stat), 'link is right');
  if (!srcExists && !a.force && !ctx.check) {
    return { actions: [], failed: `src file does not exist, use "force=yes" if you really want to create the link: ${src}` };
  }
  const fresh: FileStat = { exists: false };
  if (!stat.exists) return ok([{ kind: 'exec', command: `ln -sfn -- ${quote(src)} ${p}` }, ...chown(fresh)], 'link is missing');
  if (stat.type === 'link') {
    // A new link beside it, renamed over it (as Ansible does): readers never find the path missing,
    // which is what makes a `current -> releases/VERSION` switch atomic.
    const tmp = quote(posix.join(posix.dirname(a.path), `.${posix.basename(a.path)}.provision-tmp`));
    const command = `ln -sfn -- ${quote(src)} ${tmp} && mv -Tf -- ${tmp} ${p}`;
    return ok([{ kind: 'exec', command }, ...chown(fresh)], `link points to ${stat.linkTarget}`);
  }
  if (!a.force) return { actions: [], failed: `refusing to convert from ${stat.type} to symlink for ${a.path}` };
  // rmdir fails on a non-empty directory, as Ansible refuses to replace one.
  const remove = stat.type === 'directory' ? `rmdir -- ${p}` : `rm -f -- ${p}`;
  return ok([{ kind: 'exec', command: `${remove} && ln -s -- ${quote(src)} ${p}` }, ...chown(fresh)], `replacing ${stat.type} with a link`);
}
