import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileContent, fileStat } from '../../../src/facts/files.js';
import copy from '../../../src/modules/copy.js';
import template from '../../../src/modules/template.js';
import { checkCase, type TableCase } from './fact-table.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const file = (content: string, extra: Record<string, unknown> = {}) => ({
  exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: content.length, mtime: 1, sha256: sha(content), ...extra,
});
const dir = { exists: true, type: 'directory', mode: '0755', owner: 'root', group: 'root', uid: 0, gid: 0, size: 4096, mtime: 1 };
const absent = { exists: false };

const copyCases: TableCase[] = [
  {
    name: 'same content: no action, one round',
    args: { content: 'hello\n', dest: '/etc/motd' },
    facts: { [fileStat('/etc/motd').key]: file('hello\n') },
    expect: { commands: [], rounds: 1, result: { checksum: sha('hello\n') } },
  },
  {
    name: 'same content, diff on: still one round',
    args: { content: 'hello\n', dest: '/etc/motd' },
    diff: true,
    facts: { [fileStat('/etc/motd').key]: file('hello\n') },
    expect: { commands: [], rounds: 1, diff: null },
  },
  {
    name: 'missing file: one put with mode/owner/validate',
    args: { content: 'x=1\n', dest: '/etc/app.conf', mode: '0640', owner: 'app', group: 'app', validate: 'app --check %s', backup: 'yes' },
    facts: { [fileStat('/etc/app.conf').key]: absent },
    expect: { commands: ['put /etc/app.conf'], puts: { '/etc/app.conf': 'x=1\n' } },
  },
  {
    name: 'different content with diff: before/after',
    args: { content: 'new\n', dest: '/etc/motd' },
    diff: true,
    facts: { [fileStat('/etc/motd').key]: file('old\n'), [fileContent('/etc/motd').key]: { exists: true, content: Buffer.from('old\n') } },
    expect: { commands: ['put /etc/motd'], diff: { before: 'old\n', after: 'new\n' }, rounds: 2 },
  },
  {
    name: 'same content, other mode and owner: chmod/chown only, no upload',
    args: { content: 'hello\n', dest: '/etc/motd', mode: 600, owner: 'www-data' },
    facts: { [fileStat('/etc/motd').key]: file('hello\n') },
    expect: { commands: ['chmod 0600 -- /etc/motd', 'chown www-data -- /etc/motd'], rounds: 1 },
  },
  {
    name: 'symbolic mode that the file already has',
    args: { content: 'hello\n', dest: '/etc/motd', mode: 'u=rw,g=r,o=r' },
    facts: { [fileStat('/etc/motd').key]: file('hello\n') },
    expect: { commands: [] },
  },
  {
    name: 'force=no keeps an existing file',
    args: { content: 'new\n', dest: '/etc/motd', force: 'no' },
    facts: { [fileStat('/etc/motd').key]: file('old\n') },
    expect: { commands: [] },
  },
  {
    name: 'src into a directory: dest/NAME, probed in the same round',
    args: { src: 'app.conf', dest: '/etc/app' },
    localFiles: { 'files/app.conf': 'a\n' },
    facts: { [fileStat('/etc/app').key]: dir, [fileStat('/etc/app/app.conf').key]: file('a\n') },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'src to a dest ending with /',
    args: { src: 'sub/app.conf', dest: '/etc/app/' },
    localFiles: { 'files/sub/app.conf': 'a\n' },
    facts: { [fileStat('/etc/app/app.conf').key]: absent },
    expect: { commands: ['put /etc/app/app.conf'] },
  },
  {
    name: 'content to a directory fails',
    args: { content: 'a', dest: '/etc' },
    facts: { [fileStat('/etc').key]: dir },
    expect: { failed: /is a directory/ },
  },
  {
    name: 'binary content: no diff',
    args: { src: 'blob', dest: '/srv/blob' },
    diff: true,
    localFiles: { 'files/blob': Buffer.from([0, 1, 2]) },
    facts: { [fileStat('/srv/blob').key]: absent, [fileStat('/srv/blob/blob').key]: absent },
    expect: { commands: ['put /srv/blob'], diff: null },
  },
  {
    name: 'check mode plans the same put',
    args: { content: 'x\n', dest: '/etc/x' },
    check: true,
    facts: { [fileStat('/etc/x').key]: absent },
    expect: { commands: ['put /etc/x'] },
  },
];

describe('copy', () => {
  it.each(copyCases)('$name', (c) => checkCase(copy, c, expect));
  it.each<[Record<string, unknown>, string]>([
    [{ dest: '/x' }, 'neither src nor content'],
    [{ dest: '/x', src: 'a', content: 'b' }, 'both src and content'],
    [{ dest: '/x', content: 'a', validate: 'nginx -t' }, 'validate without %s'],
    [{ dest: '/x', content: 'a', mode: 'rwx' }, 'bad mode'],
    [{ dest: '/x', content: 'a', mode: 999 }, 'non-octal number'],
    [{ dest: '/x', content: 'a', bogus: 1 }, 'unknown argument'],
  ])('rejects %o (%s)', (a) => expect(copy.args.safeParse(a).success).toBe(false));
});

const templateCases: TableCase[] = [
  {
    name: 'renders then compares: unchanged',
    args: { src: 'motd.ejs', dest: '/etc/motd' },
    vars: { who: 'web01' },
    localFiles: { 'templates/motd.ejs': 'hi <%= who %>\n' },
    facts: { [fileStat('/etc/motd').key]: file('hi web01\n'), [fileStat('/etc/motd/motd').key]: absent },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'renders then writes with validate',
    args: { src: 'nginx.conf.ejs', dest: '/etc/nginx/nginx.conf', validate: 'nginx -t -c %s' },
    vars: { who: 'web02' },
    localFiles: { 'templates/nginx.conf.ejs': 'server_name <%= who %>;\n' },
    facts: { [fileStat('/etc/nginx/nginx.conf').key]: file('server_name web01;\n'), [fileStat('/etc/nginx/nginx.conf/nginx.conf').key]: absent },
    expect: { commands: ['put /etc/nginx/nginx.conf'], puts: { '/etc/nginx/nginx.conf': 'server_name web02;\n' } },
  },
];

describe('template', () => {
  it.each(templateCases)('$name', (c) => checkCase(template, c, expect));
});
