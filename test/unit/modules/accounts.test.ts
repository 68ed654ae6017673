import { describe, expect, it } from 'vitest';
import { groupInfo, userInfo } from '../../../src/facts/users.js';
import group from '../../../src/modules/group.js';
import user from '../../../src/modules/user.js';
import { checkCase, runPlan, type TableCase } from './fact-table.js';

const deploy = {
  exists: true, name: 'deploy', uid: 1001, gid: 1001, comment: '', home: '/home/deploy', shell: '/bin/bash', group: 'deploy', groups: ['sudo'],
};
const HASH = '$6$salt$abcdef';

const userCases: TableCase[] = [
  { name: 'as asked: one round', args: { name: 'deploy', shell: '/bin/bash', groups: ['sudo'] }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: [], rounds: 1 } },
  {
    name: 'create with everything',
    args: { name: 'app', uid: '2000', group: 'app', groups: 'www-data,adm', shell: '/usr/sbin/nologin', home: '/srv/app', system: true, create_home: false, comment: 'App user' },
    facts: { [userInfo('app').key]: { exists: false } },
    expect: { commands: ["useradd -u 2000 -g app -G www-data,adm -s /usr/sbin/nologin -d /srv/app -c 'App user' -M -r -- app"] },
  },
  { name: 'groups replaced when append is off', args: { name: 'deploy', groups: ['docker'] }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: ['usermod -G docker -- deploy'] } },
  { name: 'groups appended', args: { name: 'deploy', groups: ['docker', 'sudo'], append: true }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: ['usermod -a -G docker -- deploy'] } },
  { name: 'append with nothing missing', args: { name: 'deploy', groups: ['sudo'], append: true }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: [] } },
  { name: 'empty groups removes supplementary ones', args: { name: 'deploy', groups: [] }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: ["usermod -G '' -- deploy"] } },
  { name: 'shell and uid differ', args: { name: 'deploy', shell: '/bin/zsh', uid: 1500 }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: ['usermod -u 1500 -s /bin/zsh -- deploy'] } },
  { name: 'password already set: one round', args: { name: 'deploy', password: HASH }, facts: { [userInfo('deploy', { password: true }).key]: { ...deploy, passwordHash: HASH } }, expect: { commands: [], rounds: 1 } },
  { name: 'password differs', args: { name: 'deploy', password: HASH }, facts: { [userInfo('deploy', { password: true }).key]: { ...deploy, passwordHash: '!' } }, expect: { commands: ['chpasswd -e'] } },
  { name: 'password on_create leaves an existing user', args: { name: 'deploy', password: HASH, update_password: 'on_create' }, facts: { [userInfo('deploy', { password: true }).key]: { ...deploy, passwordHash: '!' } }, expect: { commands: [] } },
  { name: 'remove', args: { name: 'deploy', state: 'absent', remove: true }, facts: { [userInfo('deploy').key]: deploy }, expect: { commands: ['userdel -r -- deploy'] } },
  { name: 'already absent', args: { name: 'gone', state: 'absent' }, facts: { [userInfo('gone').key]: { exists: false } }, expect: { commands: [], rounds: 1 } },
];

describe('user', () => {
  it.each(userCases)('$name', (c) => checkCase(user, c, expect));
  it('passes the hash on stdin only, in a sensitive action', async () => {
    const { plan } = await runPlan(user, { name: 'pw', args: { name: 'new', password: HASH }, facts: { [userInfo('new', { password: true }).key]: { exists: false } } });
    const pw = plan.actions[1];
    expect(pw).toMatchObject({ kind: 'exec', command: 'chpasswd -e', stdin: `new:${HASH}\n`, sensitive: true });
    for (const a of plan.actions) if (a.kind === 'exec') expect(a.command).not.toContain(HASH);
  });
});

const G = (gid: number) => ({ [groupInfo('app').key]: { exists: true, name: 'app', gid, members: [] } });
describe('group', () => {
  it.each<TableCase>([
    { name: 'exists: one round', args: { name: 'app', gid: 2000 }, facts: G(2000), expect: { commands: [], rounds: 1 } },
    { name: 'create system group with gid', args: { name: 'app', gid: 2000, system: 'yes' }, facts: { [groupInfo('app').key]: { exists: false } }, expect: { commands: ['groupadd -g 2000 -r -- app'] } },
    { name: 'gid differs', args: { name: 'app', gid: 2001 }, facts: G(2000), expect: { commands: ['groupmod -g 2001 -- app'] } },
    { name: 'absent', args: { name: 'app', state: 'absent' }, facts: G(2000), expect: { commands: ['groupdel -- app'] } },
  ])('$name', (c) => checkCase(group, c, expect));
});
