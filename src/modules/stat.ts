// stat: register facts about a path in Ansible's shape (exists, isdir, isreg, islnk, mode, pw_name,
// gr_name, size, mtime, checksum). The checksum is sha256, not Ansible's default sha1.

import { z } from 'zod';
import { fileStat } from '../facts/files.js';
import { argSpec } from './arg-spec.js';
import { bool } from './args.js';
import { defineModule } from './types.js';

const args = argSpec({
  path: z.string().min(1),
  follow: bool().default(false),
  get_checksum: bool().default(true),
  checksum_algorithm: z.literal('sha256').default('sha256'),
});

export default defineModule({
  name: 'stat',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.stat'],
  args,
  async plan(a, ctx) {
    const s = await ctx.facts.get(fileStat(a.path, { follow: a.follow, checksum: a.get_checksum }));
    if (!s.exists) return { actions: [], result: { stat: { exists: false } } };
    const stat: Record<string, unknown> = {
      exists: true,
      path: a.path,
      isdir: s.type === 'directory',
      isreg: s.type === 'file',
      islnk: s.type === 'link',
      mode: s.mode,
      uid: s.uid,
      gid: s.gid,
      pw_name: s.owner,
      gr_name: s.group,
      size: s.size,
      mtime: s.mtime,
    };
    if (s.linkTarget !== undefined) stat.lnk_target = s.linkTarget;
    if (a.get_checksum && s.sha256 !== undefined) stat.checksum = s.sha256;
    return { actions: [], result: { stat } };
  },
});
