import { describe, expect, it } from 'vitest';
import { fileContent, fileStat } from '../../../src/facts/files.js';
import blockinfile from '../../../src/modules/blockinfile.js';
import { editBlock, type BlockEdit } from '../../../src/modules/blockinfile-edit.js';
import { checkCase, type TableCase } from './fact-table.js';

const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';
const base: BlockEdit = { block: 'x\ny', marker: '# {mark} ANSIBLE MANAGED BLOCK', markerBegin: 'BEGIN', markerEnd: 'END', state: 'present' };

const edits: { name: string; before: string; edit: Partial<BlockEdit>; after: string }[] = [
  { name: 'insert at EOF', before: 'a\n', edit: {}, after: `a\n${B}x\ny\n${E}` },
  { name: 'insert into an empty file', before: '', edit: {}, after: `${B}x\ny\n${E}` },
  { name: 'insert after a file without final newline', before: 'a', edit: {}, after: `a\n${B}x\ny\n${E}` },
  { name: 'replace in place', before: `a\n${B}old\n${E}b\n`, edit: {}, after: `a\n${B}x\ny\n${E}b\n` },
  { name: 'unchanged', before: `a\n${B}x\ny\n${E}b\n`, edit: {}, after: `a\n${B}x\ny\n${E}b\n` },
  { name: 'insertbefore BOF', before: 'a\n', edit: { insertbefore: 'BOF' }, after: `${B}x\ny\n${E}a\n` },
  { name: 'insertafter regex (last match)', before: '[s]\n1\n[s]\n2\n', edit: { insertafter: '^\\[s\\]' }, after: `[s]\n1\n[s]\n${B}x\ny\n${E}2\n` },
  { name: 'insertbefore regex', before: 'a\nend\n', edit: { insertbefore: '^end' }, after: `a\n${B}x\ny\n${E}end\n` },
  { name: 'anchor not found: EOF', before: 'a\n', edit: { insertafter: '^zzz' }, after: `a\n${B}x\ny\n${E}` },
  { name: 'absent removes block and markers', before: `a\n${B}x\n${E}b\n`, edit: { state: 'absent' }, after: 'a\nb\n' },
  { name: 'empty block removes', before: `a\n${B}x\n${E}`, edit: { block: '' }, after: 'a\n' },
  { name: 'absent without block: unchanged', before: 'a\n', edit: { state: 'absent' }, after: 'a\n' },
  { name: 'custom markers', before: '', edit: { marker: '// {mark} app', markerBegin: 'start', markerEnd: 'stop', block: 'k' }, after: '// start app\nk\n// stop app\n' },
  { name: 'markers in reverse order', before: `${E}z\n${B}q\n`, edit: {}, after: `${B}x\ny\n${E}q\n` },
];

describe('editBlock', () => {
  it.each(edits)('$name', ({ before, edit, after }) => {
    const r = editBlock(before, { ...base, ...edit });
    expect(r.content).toBe(after);
    expect(r.changed).toBe(after !== before);
    expect(editBlock(r.content, { ...base, ...edit }).changed).toBe(false);
  });
});

const st = { exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 1 };
const facts = (path: string, content: string | null) => ({
  [fileStat(path, { checksum: false }).key]: content === null ? { exists: false } : st,
  [fileContent(path).key]: content === null ? { exists: false } : { exists: true, content: Buffer.from(content) },
});

const cases: TableCase[] = [
  { name: 'unchanged: one round', args: { path: '/etc/hosts', block: '10.0.0.2 web01' }, facts: facts('/etc/hosts', `127.0.0.1 localhost\n${B}10.0.0.2 web01\n${E}`), expect: { commands: [], rounds: 1 } },
  {
    name: 'inserted with diff',
    args: { path: '/etc/hosts', block: '10.0.0.2 web01' },
    diff: true,
    facts: facts('/etc/hosts', '127.0.0.1 localhost\n'),
    expect: { commands: ['put /etc/hosts'], diff: { before: '127.0.0.1 localhost\n', after: `127.0.0.1 localhost\n${B}10.0.0.2 web01\n${E}` } },
  },
  { name: 'create', args: { path: '/etc/new', content: 'k=v', create: true }, facts: facts('/etc/new', null), expect: { puts: { '/etc/new': `${B}k=v\n${E}` } } },
  { name: 'missing without create fails', args: { path: '/etc/new', block: 'k' }, facts: facts('/etc/new', null), expect: { failed: /does not exist/ } },
  // As Ansible's blockinfile: a missing file fails even with state=absent (lineinfile's absent is ok).
  { name: 'absent on missing file fails', args: { path: '/etc/new', state: 'absent' }, facts: facts('/etc/new', null), expect: { failed: /does not exist/ } },
];

describe('blockinfile', () => {
  it.each(cases)('$name', (c) => checkCase(blockinfile, c, expect));
  it('rejects a marker without {mark}', () => expect(blockinfile.args.safeParse({ path: '/x', marker: '# managed' }).success).toBe(false));
});
