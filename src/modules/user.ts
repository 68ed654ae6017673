// user: create, change or remove a local account with useradd/usermod/userdel. A password is an
// already hashed value, passed on stdin to `chpasswd -e` (never in argv) by a sensitive action.

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { userInfo } from '../facts/users.js';
import { argSpec } from './arg-spec.js';
import { bool, int, stringList } from './args.js';
import { defineModule, type ExecAction } from './types.js';

const args = argSpec(
  {
    name: z.string().min(1),
    state: z.enum(['present', 'absent']).default('present'),
    uid: int(z.number().int().nonnegative()).optional(),
    group: z.string().min(1).optional(),
    groups: stringList().optional(),
    append: bool().default(false),
    shell: z.string().min(1).optional(),
    home: z.string().min(1).optional(),
    comment: z.string().optional(),
    create_home: bool().default(true),
    system: bool().default(false),
    password: z.string().min(1).optional(),
    update_password: z.enum(['always', 'on_create']).default('always'),
    remove: bool().default(false),
  },
  { aliases: { create_home: ['createhome'] } },
);

export default defineModule({
  name: 'user',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.user'],
  args,
  async plan(a, ctx) {
    const u = await ctx.facts.get(userInfo(a.name, { password: a.password !== undefined }));
    const n = quote(a.name);
    if (a.state === 'absent') {
      return u.exists
        ? { actions: [{ kind: 'exec', command: `userdel${a.remove ? ' -r' : ''} -- ${n}` }], reason: 'user exists' }
        : { actions: [], reason: 'user absent' };
    }
    const actions: ExecAction[] = [];
    const setPassword: ExecAction | undefined =
      a.password !== undefined
        ? { kind: 'exec', command: 'chpasswd -e', stdin: `${a.name}:${a.password}\n`, sensitive: true, describe: `set password of ${a.name}` }
        : undefined;
    if (!u.exists) {
      const opts: string[] = [];
      if (a.uid !== undefined) opts.push('-u', String(a.uid));
      if (a.group !== undefined) opts.push('-g', quote(a.group));
      if (a.groups !== undefined && a.groups.length > 0) opts.push('-G', quote(a.groups.join(',')));
      if (a.shell !== undefined) opts.push('-s', quote(a.shell));
      if (a.home !== undefined) opts.push('-d', quote(a.home));
      if (a.comment !== undefined) opts.push('-c', quote(a.comment));
      opts.push(a.create_home ? '-m' : '-M');
      if (a.system) opts.push('-r');
      actions.push({ kind: 'exec', command: `useradd ${opts.join(' ')} -- ${n}` });
      if (setPassword) actions.push(setPassword);
      return { actions, reason: 'user missing' };
    }
    const opts: string[] = [];
    if (a.uid !== undefined && u.uid !== a.uid) opts.push('-u', String(a.uid));
    if (a.group !== undefined && u.group !== a.group && String(u.gid) !== a.group) opts.push('-g', quote(a.group));
    if (a.groups !== undefined) {
      const have = new Set(u.groups);
      const want = new Set(a.groups.filter((g) => g !== u.group && g !== (a.group ?? u.group)));
      const missing = [...want].filter((g) => !have.has(g));
      const extra = [...have].filter((g) => !want.has(g));
      if (a.append ? missing.length > 0 : missing.length > 0 || extra.length > 0) {
        opts.push(...(a.append ? ['-a', '-G', quote(missing.join(','))] : ['-G', quote([...want].join(','))]));
      }
    }
    if (a.shell !== undefined && u.shell !== a.shell) opts.push('-s', quote(a.shell));
    if (a.home !== undefined && u.home !== a.home) opts.push('-d', quote(a.home));
    if (a.comment !== undefined && u.comment !== a.comment) opts.push('-c', quote(a.comment));
    if (opts.length > 0) actions.push({ kind: 'exec', command: `usermod ${opts.join(' ')} -- ${n}` });
    if (setPassword && a.update_password === 'always' && u.passwordHash !== a.password) actions.push(setPassword);
    return { actions, reason: actions.length > 0 ? 'user differs' : 'user as asked', result: { uid: u.uid, home: u.home } };
  },
});
