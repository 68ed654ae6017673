import { describe, expect, it } from 'vitest';
import { pathExists } from '../../../src/facts/files.js';
import command from '../../../src/modules/command.js';
import shell from '../../../src/modules/shell.js';
import { shlexSplit } from '../../../src/modules/shlex.js';
import { checkCase, runPlan, type TableCase } from './fact-table.js';

const commandCases: TableCase[] = [
  // As ansible-core: variables and ~ are expanded in each word, nothing else of the shell applies.
  { name: 'free form is split and quoted: only $VAR expands', args: { cmd: 'echo "$HOME" a|b' }, expect: { commands: ['echo "${HOME-\\$HOME}" \'a|b\''], rounds: 0 } },
  { name: 'argv', args: { argv: ['ls', '-l', 'a b'] }, expect: { commands: ["ls -l 'a b'"] } },
  { name: 'argv words expand ~ too', args: { argv: ['ls', '~/a b'] }, expect: { commands: ["ls ~/'a b'"] } },
  { name: 'chdir wraps in braces', args: { cmd: 'make install', chdir: '/src/app' }, expect: { commands: ['cd -- /src/app && {\nmake install\n}'] } },
  {
    name: 'creates exists: no-op in one round',
    args: { cmd: 'tar xf app.tgz', creates: '/opt/app' },
    facts: { [pathExists('/opt/app').key]: true },
    expect: { commands: [], rounds: 1, result: { rc: 0, stdout: 'skipped, since /opt/app exists' } },
  },
  {
    name: 'creates missing: runs',
    args: { cmd: 'tar xf app.tgz', creates: '/opt/app' },
    facts: { [pathExists('/opt/app').key]: false },
    expect: { commands: ['tar xf app.tgz'], rounds: 1 },
  },
  {
    name: 'relative creates is relative to chdir',
    args: { cmd: 'make', chdir: '/src', creates: 'build/out' },
    facts: { [pathExists('/src/build/out').key]: true },
    expect: { commands: [] },
  },
  {
    name: 'removes missing: no-op',
    args: { cmd: 'rm /tmp/lock', removes: '/tmp/lock' },
    facts: { [pathExists('/tmp/lock').key]: false },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'creates and removes in one round',
    args: { cmd: 'x', creates: '/a', removes: '/b' },
    facts: { [pathExists('/a').key]: false, [pathExists('/b').key]: true },
    expect: { commands: ['x'], rounds: 1 },
  },
  {
    name: 'check mode without creates/removes: skipped',
    args: { cmd: 'reboot' },
    check: true,
    expect: { commands: [], skipped: 'not run in check mode', result: { msg: 'Command would have run if not in check mode' } },
  },
  {
    name: 'check mode with creates that would run: planned (changed)',
    args: { cmd: 'init-db', creates: '/var/lib/db' },
    check: true,
    facts: { [pathExists('/var/lib/db').key]: false },
    expect: { commands: ['init-db'] },
  },
  {
    name: 'check mode with creates present: ok',
    args: { cmd: 'init-db', creates: '/var/lib/db' },
    check: true,
    facts: { [pathExists('/var/lib/db').key]: true },
    expect: { commands: [] },
  },
];

describe('command', () => {
  it.each(commandCases)('$name', (c) => checkCase(command, c, expect));
  it('passes stdin with a newline, and interprets outputs', async () => {
    const { plan } = await runPlan(command, { name: 'stdin', args: { cmd: 'cat', stdin: 'abc' } });
    const action = plan.actions[0];
    expect(action?.kind === 'exec' && action.stdin).toBe('abc\n');
    const parsed = command.args.parse({ cmd: 'cat' });
    expect(command.interpret?.(parsed, [{ action: action!, code: 3, stdout: 'a\nb\n', stderr: '' }])).toEqual({
      rc: 3, stdout: 'a\nb', stderr: '', stdout_lines: ['a', 'b'], stderr_lines: [], cmd: ['cat'],
    });
  });
  it.each([[{}], [{ cmd: 'a', argv: ['a'] }], [{ cmd: 'echo "open' }], [{ cmd: 'x', warn: true }]])('rejects %o', (a) =>
    expect(command.args.safeParse(a).success).toBe(false),
  );
});

describe('shell', () => {
  it.each<TableCase>([
    { name: 'runs the line as is', args: { cmd: 'cat /etc/passwd | wc -l > /tmp/n' }, expect: { commands: ['cat /etc/passwd | wc -l > /tmp/n'] } },
    { name: 'another executable', args: { cmd: 'echo $0', executable: '/bin/sh' }, expect: { commands: ["/bin/sh -c 'echo $0'"] } },
    {
      name: 'creates exists: no-op',
      args: { cmd: 'curl -o /x http://127.0.0.1/', creates: '/x' },
      facts: { [pathExists('/x').key]: true },
      expect: { commands: [], rounds: 1 },
    },
    { name: 'check mode: skipped', args: { cmd: 'echo hi' }, check: true, expect: { commands: [], skipped: 'not run in check mode' } },
  ])('$name', (c) => checkCase(shell, c, expect));
  it('reports cmd as the line', () => {
    const a = shell.args.parse({ cmd: 'echo hi' });
    expect(shell.interpret?.(a, [{ action: { kind: 'exec', command: 'echo hi' }, code: 0, stdout: 'hi\n', stderr: '' }])).toMatchObject({ cmd: 'echo hi', stdout: 'hi' });
  });
});

describe('shlexSplit', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    [`'a b' "c \\"d\\"" e\\ f`, ['a b', 'c "d"', 'e f']],
    [`x'y'"z"`, ['xyz']],
    [`''`, ['']],
  ])('%s', (input, expected) => expect(shlexSplit(input)).toEqual(expected));
});
