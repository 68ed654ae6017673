import { describe, expect, it } from 'vitest';
import { fileContent, fileStat } from '../../../src/facts/files.js';
import lineinfile from '../../../src/modules/lineinfile.js';
import { editLines, type LineEdit } from '../../../src/modules/lineinfile-edit.js';
import { checkCase, type TableCase } from './fact-table.js';

// Pure edits, following ansible-core's lineinfile semantics case by case.
const edits: { name: string; before: string; edit: Partial<LineEdit>; after: string; changed: boolean }[] = [
  { name: 'append a missing line', before: 'a\nb\n', edit: { line: 'c' }, after: 'a\nb\nc\n', changed: true },
  { name: 'line already present', before: 'a\nc\nb\n', edit: { line: 'c' }, after: 'a\nc\nb\n', changed: false },
  { name: 'append to a file without final newline', before: 'a', edit: { line: 'b' }, after: 'a\nb\n', changed: true },
  { name: 'empty file', before: '', edit: { line: 'x' }, after: 'x\n', changed: true },
  { name: 'regexp replaces the last match', before: 'port=1\nx\nport=2\n', edit: { line: 'port=3', regexp: '^port=' }, after: 'port=1\nx\nport=3\n', changed: true },
  { name: 'regexp with firstmatch replaces the first', before: 'port=1\nport=2\n', edit: { line: 'port=3', regexp: '^port=', firstmatch: true }, after: 'port=3\nport=2\n', changed: true },
  { name: 'regexp matches the wanted line: unchanged', before: 'port=3\n', edit: { line: 'port=3', regexp: '^port=' }, after: 'port=3\n', changed: false },
  { name: 'regexp not matched but line present: unchanged', before: 'a\nPort 22\n', edit: { line: 'Port 22', regexp: '^#Port' }, after: 'a\nPort 22\n', changed: false },
  { name: 'regexp not matched: appended', before: 'a\n', edit: { line: 'Port 22', regexp: '^#?Port' }, after: 'a\nPort 22\n', changed: true },
  { name: 'insertafter regex (last match)', before: '[a]\nx\n[a]\ny\n', edit: { line: 'k=v', insertafter: '^\\[a\\]' }, after: '[a]\nx\n[a]\nk=v\ny\n', changed: true },
  { name: 'insertafter with firstmatch', before: '[a]\nx\n[a]\ny\n', edit: { line: 'k=v', insertafter: '^\\[a\\]', firstmatch: true }, after: '[a]\nk=v\nx\n[a]\ny\n', changed: true },
  { name: 'insertafter, next line already the line', before: '[a]\nk=v\n', edit: { line: 'k=v', insertafter: '^\\[a\\]' }, after: '[a]\nk=v\n', changed: false },
  { name: 'insertafter the last line of the file', before: 'x\n[a]', edit: { line: 'k=v', insertafter: '^\\[a\\]' }, after: 'x\n[a]\nk=v\n', changed: true },
  { name: 'insertafter not found: EOF', before: 'x\n', edit: { line: 'k=v', insertafter: '^nothing' }, after: 'x\nk=v\n', changed: true },
  { name: 'insertbefore regex', before: 'a\nb\n', edit: { line: 'z', insertbefore: '^b' }, after: 'a\nz\nb\n', changed: true },
  { name: 'insertbefore BOF', before: 'a\n', edit: { line: '#!/bin/sh', insertbefore: 'BOF' }, after: '#!/bin/sh\na\n', changed: true },
  { name: 'insertafter EOF', before: 'a\n', edit: { line: 'z', insertafter: 'EOF' }, after: 'a\nz\n', changed: true },
  { name: 'regexp found wins over insertafter', before: 'a\nk=1\n', edit: { line: 'k=2', regexp: '^k=', insertafter: '^a' }, after: 'a\nk=2\n', changed: true },
  { name: 'backrefs expand groups', before: 'ListenAddress 0.0.0.0:22\n', edit: { line: 'ListenAddress \\1:2222', regexp: '^ListenAddress (.*):22$', backrefs: true }, after: 'ListenAddress 0.0.0.0:2222\n', changed: true },
  { name: 'backrefs with python named group', before: 'user=bob\n', edit: { line: 'user=\\g<who>!', regexp: '^user=(?P<who>\\w+)$', backrefs: true }, after: 'user=bob!\n', changed: true },
  { name: 'backrefs without match: nothing', before: 'a\n', edit: { line: 'x\\1', regexp: '^(z)', backrefs: true }, after: 'a\n', changed: false },
  { name: 'present line without newline at EOF gets one', before: 'a\nb', edit: { line: 'b' }, after: 'a\nb\n', changed: true },
  { name: 'absent by line', before: 'a\nb\na\n', edit: { state: 'absent', line: 'a' }, after: 'b\n', changed: true },
  { name: 'absent by regexp', before: 'x=1\ny=2\nx=3\n', edit: { state: 'absent', regexp: '^x=' }, after: 'y=2\n', changed: true },
  { name: 'absent, nothing matches', before: 'a\n', edit: { state: 'absent', line: 'z' }, after: 'a\n', changed: false },
  { name: 'search_string replaces the last line containing it', before: 'a.x=1\nb\na.x=2\n', edit: { line: 'a.x=3', search_string: 'a.x' }, after: 'a.x=1\nb\na.x=3\n', changed: true },
  { name: 'search_string is literal, not a pattern', before: 'abx=1\n', edit: { line: 'a.x=3', search_string: 'a.x' }, after: 'abx=1\na.x=3\n', changed: true },
  { name: 'search_string with firstmatch replaces the first', before: 'k=1\nk=2\n', edit: { line: 'k=3', search_string: 'k=', firstmatch: true }, after: 'k=3\nk=2\n', changed: true },
  { name: 'search_string matching the wanted line: unchanged', before: 'k=3\n', edit: { line: 'k=3', search_string: 'k=' }, after: 'k=3\n', changed: false },
  { name: 'search_string not found: insertbefore', before: 'a\nb\n', edit: { line: 'k=3', search_string: 'k=', insertbefore: '^b' }, after: 'a\nk=3\nb\n', changed: true },
  { name: 'search_string found wins over insertafter', before: 'a\nk=1\n', edit: { line: 'k=2', search_string: 'k=', insertafter: '^a' }, after: 'a\nk=2\n', changed: true },
  { name: 'absent by search_string removes every line containing it', before: 'x.1\ny\nzx.1z\n', edit: { state: 'absent', search_string: 'x.1' }, after: 'y\n', changed: true },
  { name: 'absent by search_string is literal', before: 'xa1\n', edit: { state: 'absent', search_string: 'x.1' }, after: 'xa1\n', changed: false },
  // As in Ansible (linesep is \n): a matching CRLF line is rewritten with \n.
  { name: 'CRLF line is normalised', before: 'a\r\nb\r\n', edit: { line: 'a' }, after: 'a\nb\r\n', changed: true },
];

describe('editLines', () => {
  it.each(edits)('$name', ({ before, edit, after, changed }) => {
    const r = editLines(before, { state: 'present', ...edit });
    expect(r.content).toBe(after);
    expect(r.changed).toBe(changed);
  });
  it('is idempotent: applying the result again changes nothing', () => {
    for (const { before, edit } of edits) {
      const once = editLines(before, { state: 'present', ...edit }).content;
      expect(editLines(once, { state: 'present', ...edit }).changed, JSON.stringify(edit)).toBe(false);
    }
  });
});

const stat = (extra: Record<string, unknown> = {}) => ({ exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', uid: 0, gid: 0, size: 1, mtime: 1, ...extra });
const facts = (path: string, content: string | null, st = stat()) => ({
  [fileStat(path, { checksum: false }).key]: content === null ? { exists: false } : st,
  [fileContent(path).key]: content === null ? { exists: false } : { exists: true, content: Buffer.from(content) },
});

const cases: TableCase[] = [
  { name: 'unchanged: one round', args: { path: '/etc/ssh/sshd_config', line: 'PermitRootLogin no', regexp: '^#?PermitRootLogin' }, facts: facts('/etc/ssh/sshd_config', 'PermitRootLogin no\n'), expect: { commands: [], rounds: 1 } },
  {
    name: 'changed with diff and validate',
    args: { path: '/etc/ssh/sshd_config', line: 'PermitRootLogin no', regexp: '^#?PermitRootLogin', validate: '/usr/sbin/sshd -t -f %s' },
    diff: true,
    facts: facts('/etc/ssh/sshd_config', '#PermitRootLogin yes\n'),
    expect: { commands: ['put /etc/ssh/sshd_config'], puts: { '/etc/ssh/sshd_config': 'PermitRootLogin no\n' }, diff: { before: '#PermitRootLogin yes\n', after: 'PermitRootLogin no\n' }, rounds: 1 },
  },
  { name: 'missing file without create fails', args: { path: '/etc/x', line: 'a' }, facts: facts('/etc/x', null), expect: { failed: 'Destination /etc/x does not exist !' } },
  { name: 'missing file without create in check mode: predicted', args: { path: '/etc/x', line: 'a' }, check: true, facts: facts('/etc/x', null), expect: { commands: ['put /etc/x'] } },
  { name: 'create', args: { path: '/etc/x', line: 'a', create: 'yes', mode: '0600' }, facts: facts('/etc/x', null), expect: { commands: ['put /etc/x'], puts: { '/etc/x': 'a\n' } } },
  { name: 'absent on a missing file: ok', args: { path: '/etc/x', line: 'a', state: 'absent' }, facts: facts('/etc/x', null), expect: { commands: [] } },
  { name: 'unchanged text, mode differs: chmod only', args: { dest: '/etc/x', line: 'a', mode: '0600' }, facts: facts('/etc/x', 'a\n'), expect: { commands: ['chmod 0600 -- /etc/x'] } },
];

describe('lineinfile', () => {
  it.each(cases)('$name', (c) => checkCase(lineinfile, c, expect));
  it.each([[{ path: '/x' }], [{ path: '/x', line: 'a', insertafter: 'a', insertbefore: 'b' }], [{ path: '/x', line: 'a', backrefs: true }], [{ path: '/x', line: 'a', regexp: '(' }], [{ path: '/x', state: 'absent' }], [{ path: '/x', line: 'a', regexp: 'a', search_string: 'a' }], [{ path: '/x', line: 'a', search_string: 'a', backrefs: true }]])(
    'rejects %o',
    (a) => expect(lineinfile.args.safeParse(a).success).toBe(false),
  );
  it('accepts state=absent with search_string only', () => {
    expect(lineinfile.args.safeParse({ path: '/x', state: 'absent', search_string: 'a' }).success).toBe(true);
  });
});
