import { describe, expect, it } from 'vitest';
import { fileStat, pathExists, treeDiffers } from '../../../src/facts/files.js';
import file from '../../../src/modules/file.js';
import { checkCase, type TableCase } from './fact-table.js';

const st = (type: string, extra: Record<string, unknown> = {}) => ({ exists: true, type, mode: type === 'directory' ? '0755' : '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 1, ...extra });
const follow = (p: string) => fileStat(p, { follow: true, checksum: false }).key;
const lstat = (p: string) => fileStat(p, { checksum: false }).key;
const absent = { exists: false };

const cases: TableCase[] = [
  { name: 'directory exists: no-op in one round', args: { path: '/srv/app', state: 'directory', mode: '0755' }, facts: { [follow('/srv/app')]: st('directory') }, expect: { commands: [], rounds: 1 } },
  {
    name: 'directory missing: mkdir + attributes',
    args: { path: '/srv/app', state: 'directory', mode: '0750', owner: 'app', group: 'app' },
    facts: { [follow('/srv/app')]: absent },
    // As Ansible: each directory created on the way gets the attributes, existing ones are left alone.
    expect: { commands: ['for d in /srv /srv/app; do [ -e "$d" ] || { mkdir -- "$d" && chmod 0750 -- "$d" && chown app:app -- "$d"; } || exit 1; done'] },
  },
  { name: 'directory with symbolic mode on creation starts from 0755', args: { path: '/d', state: 'directory', mode: 'g+w' }, facts: { [follow('/d')]: absent }, expect: { commands: ['for d in /d; do [ -e "$d" ] || { mkdir -- "$d" && chmod 0775 -- "$d"; } || exit 1; done'] } },
  { name: 'directory without attributes: mkdir -p', args: { path: '/a/b', state: 'directory' }, facts: { [follow('/a/b')]: absent }, expect: { commands: ['mkdir -p -- /a/b'] } },
  { name: 'directory where a file is: fails', args: { path: '/srv/app', state: 'directory' }, facts: { [follow('/srv/app')]: st('file') }, expect: { failed: /not a directory/ } },
  {
    name: 'recurse, tree already right: no-op in one round',
    args: { path: '/srv/www', state: 'directory', owner: 'www-data', recurse: true },
    facts: { [follow('/srv/www')]: st('directory', { owner: 'www-data' }), [treeDiffers('/srv/www', { owner: 'www-data' }).key]: false },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'recurse, tree differs: chown -R',
    args: { path: '/srv/www', state: 'directory', owner: 'www-data', group: 'www-data', mode: '755', recurse: 'yes' },
    facts: { [follow('/srv/www')]: st('directory'), [treeDiffers('/srv/www', { owner: 'www-data', group: 'www-data', mode: '0755' }).key]: true },
    expect: { commands: ['chmod -R 0755 -- /srv/www', 'chown -R www-data:www-data -- /srv/www'] },
  },
  { name: 'file exists with right mode', args: { path: '/etc/x', state: 'file', mode: '0644' }, facts: { [follow('/etc/x')]: st('file') }, expect: { commands: [], rounds: 1 } },
  { name: 'file exists, mode differs', args: { path: '/etc/x', state: 'file', mode: '0600' }, facts: { [follow('/etc/x')]: st('file') }, expect: { commands: ['chmod 0600 -- /etc/x'] } },
  { name: 'file missing fails like Ansible', args: { path: '/etc/x', state: 'file' }, facts: { [follow('/etc/x')]: absent }, expect: { failed: 'file (/etc/x) is absent, cannot continue' } },
  { name: 'file missing in check mode: no failure', args: { path: '/etc/x', state: 'file', mode: '0600' }, check: true, facts: { [follow('/etc/x')]: absent }, expect: { commands: ['chmod 0600 -- /etc/x'] } },
  { name: 'no state, missing path: like state=file', args: { path: '/etc/x', owner: 'a' }, facts: { [follow('/etc/x')]: absent }, expect: { failed: /absent/ } },
  { name: 'no state, existing dir: attributes only', args: { path: '/d', owner: 'a' }, facts: { [follow('/d')]: st('directory') }, expect: { commands: ['chown a -- /d'] } },
  // Ansible's follow=yes: without a state, the attributes are those of what a symlink points to.
  { name: 'no state, a symlink: mode of its target', args: { path: '/l', mode: '0600' }, facts: { [follow('/l')]: st('file', { mode: '0644' }) }, expect: { commands: ['chmod 0600 -- /l'] } },
  { name: 'absent, exists', args: { path: '/tmp/x', state: 'absent' }, facts: { [lstat('/tmp/x')]: st('directory') }, expect: { commands: ['rm -rf -- /tmp/x'] } },
  { name: 'absent, already', args: { path: '/tmp/x', state: 'absent' }, facts: { [lstat('/tmp/x')]: absent }, expect: { commands: [], rounds: 1 } },
  { name: 'touch is always a change', args: { path: '/tmp/t', state: 'touch', mode: '0600' }, facts: { [follow('/tmp/t')]: st('file', { mode: '0600' }) }, expect: { commands: ['touch -- /tmp/t'] } },
  {
    name: 'link right: no-op in one round',
    args: { path: '/etc/nginx/sites-enabled/app', src: '/etc/nginx/sites-available/app', state: 'link' },
    facts: { [lstat('/etc/nginx/sites-enabled/app')]: st('link', { linkTarget: '/etc/nginx/sites-available/app' }), [pathExists('/etc/nginx/sites-available/app').key]: true },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'link missing',
    args: { path: '/usr/local/bin/app', src: '../lib/app/bin', state: 'link' },
    facts: { [lstat('/usr/local/bin/app')]: absent, [pathExists('/usr/local/lib/app/bin').key]: true },
    expect: { commands: ['ln -sfn -- ../lib/app/bin /usr/local/bin/app'] },
  },
  {
    name: 'link to another target is replaced by a rename (never missing)',
    args: { path: '/srv/app/current', src: '/srv/app/releases/2', state: 'link' },
    facts: { [lstat('/srv/app/current')]: st('link', { linkTarget: '/srv/app/releases/1' }), [pathExists('/srv/app/releases/2').key]: true },
    expect: { commands: ['ln -sfn -- /srv/app/releases/2 /srv/app/.current.provision-tmp && mv -Tf -- /srv/app/.current.provision-tmp /srv/app/current'] },
  },
  { name: 'link over a file without force fails', args: { path: '/l', src: '/t', state: 'link' }, facts: { [lstat('/l')]: st('file'), [pathExists('/t').key]: true }, expect: { failed: /refusing to convert from file/ } },
  { name: 'link over a dir with force', args: { path: '/l', src: '/t', state: 'link', force: true }, facts: { [lstat('/l')]: st('directory'), [pathExists('/t').key]: true }, expect: { commands: ['rmdir -- /l && ln -s -- /t /l'] } },
  { name: 'link to a missing src fails', args: { path: '/l', src: '/t', state: 'link' }, facts: { [lstat('/l')]: absent, [pathExists('/t').key]: false }, expect: { failed: /src file does not exist/ } },
  { name: 'link to a missing src in check mode is predicted', args: { path: '/l', src: '/t', state: 'link' }, check: true, facts: { [lstat('/l')]: absent, [pathExists('/t').key]: false }, expect: { commands: ['ln -sfn -- /t /l'] } },
];

describe('file', () => {
  it.each(cases)('$name', (c) => checkCase(file, c, expect));
  it.each([[{ state: 'directory' }], [{ path: '/a', dest: '/b' }], [{ path: '/a', state: 'link' }], [{ path: '/a', src: '/b' }], [{ path: '/a', state: 'file', recurse: true }], [{ path: '/a', state: 'hard' }]])(
    'rejects %o',
    (a) => expect(file.args.safeParse(a).success).toBe(false),
  );
});
