// group: create, renumber or remove a local group.

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { groupInfo } from '../facts/users.js';
import { argSpec } from './arg-spec.js';
import { bool, int } from './args.js';
import { defineModule } from './types.js';

const args = argSpec({
  name: z.string().min(1),
  gid: int(z.number().int().nonnegative()).optional(),
  system: bool().default(false),
  state: z.enum(['present', 'absent']).default('present'),
});

export default defineModule({
  name: 'group',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.group'],
  args,
  async plan(a, ctx) {
    const g = await ctx.facts.get(groupInfo(a.name));
    const n = quote(a.name);
    if (a.state === 'absent') {
      return g.exists ? { actions: [{ kind: 'exec', command: `groupdel -- ${n}` }] } : { actions: [], reason: 'group absent' };
    }
    if (!g.exists) {
      const opts = [a.gid !== undefined ? `-g ${a.gid} ` : '', a.system ? '-r ' : ''].join('');
      return { actions: [{ kind: 'exec', command: `groupadd ${opts}-- ${n}` }], reason: 'group missing' };
    }
    if (a.gid !== undefined && g.gid !== a.gid) {
      return { actions: [{ kind: 'exec', command: `groupmod -g ${a.gid} -- ${n}` }], reason: `gid is ${g.gid}` };
    }
    return { actions: [], reason: 'group as asked', result: { gid: g.gid } };
  },
});
