import { describe, expect, it } from 'vitest';
import { fileContent } from '../../../src/facts/files.js';
import { sysctlValue } from '../../../src/facts/sysctl.js';
import sysctl, { editSysctl } from '../../../src/modules/sysctl.js';
import { checkCase, type TableCase } from './fact-table.js';

const F = '/etc/sysctl.conf';
const facts = (content: string | null, current?: string, file = F, name = 'net.ipv4.ip_forward') => ({
  [fileContent(file).key]: content === null ? { exists: false } : { exists: true, content: Buffer.from(content) },
  [sysctlValue(name, file).key]: current === undefined ? {} : { current },
});

describe('editSysctl', () => {
  it.each([
    ['appends a missing key', '# c\n', 'a.b', '1', '# c\na.b=1\n'],
    ['keeps a line with the same value (spacing kept)', 'a.b = 1\n', 'a.b', '1', 'a.b = 1\n'],
    ['replaces the value', 'a.b = 0\nx=1\n', 'a.b', '1', 'a.b=1\nx=1\n'],
    ['drops later duplicates', 'a.b=1\na.b=0\n', 'a.b', '1', 'a.b=1\n'],
    ['compares whitespace-collapsed values', 'r = 1024\t65000\n', 'r', '1024 65000', 'r = 1024\t65000\n'],
    ['removes for state=absent', 'a.b=1\nc=2\n', 'a.b', undefined, 'c=2\n'],
    ['ignores commented keys', '#a.b=1\n', 'a.b', '1', '#a.b=1\na.b=1\n'],
  ])('%s', (_, before, name, value, after) => expect(editSysctl(before, name, value).content).toBe(after));
});

const cases: TableCase[] = [
  { name: 'persisted already: one round', args: { name: 'net.ipv4.ip_forward', value: 1 }, facts: facts('net.ipv4.ip_forward = 1\n', '0'), expect: { commands: [], rounds: 1 } },
  {
    name: 'missing: write file and reload it',
    args: { name: 'net.ipv4.ip_forward', value: '1' },
    diff: true,
    facts: facts('', '0'),
    expect: { commands: [`put ${F}`, `sysctl -p ${F}`], puts: { [F]: 'net.ipv4.ip_forward=1\n' }, diff: { before: '', after: 'net.ipv4.ip_forward=1\n' } },
  },
  { name: 'yes is written as 1, no reload', args: { name: 'net.ipv4.ip_forward', value: 'yes', reload: false }, facts: facts(null, '0'), expect: { commands: [`put ${F}`], puts: { [F]: 'net.ipv4.ip_forward=1\n' } } },
  {
    name: 'sysctl_set sets the live value when it differs',
    args: { name: 'net.ipv4.ip_forward', value: 1, sysctl_set: true },
    facts: facts('net.ipv4.ip_forward=1\n', '0'),
    expect: { commands: ["sysctl -w net.ipv4.ip_forward=1"] },
  },
  { name: 'sysctl_set, live value right', args: { name: 'net.ipv4.ip_forward', value: 1, sysctl_set: true }, facts: facts('net.ipv4.ip_forward=1\n', '1'), expect: { commands: [] } },
  {
    name: 'own file under sysctl.d',
    args: { name: 'vm.swappiness', value: 10, sysctl_file: '/etc/sysctl.d/60-app.conf' },
    facts: facts(null, '60', '/etc/sysctl.d/60-app.conf', 'vm.swappiness'),
    expect: { commands: ['put /etc/sysctl.d/60-app.conf', 'sysctl -p /etc/sysctl.d/60-app.conf'] },
  },
  { name: 'absent', args: { name: 'net.ipv4.ip_forward', state: 'absent' }, facts: facts('net.ipv4.ip_forward=1\n', '1'), expect: { puts: { [F]: '' } } },
];

describe('sysctl', () => {
  it.each(cases)('$name', (c) => checkCase(sysctl, c, expect));
  it.each([[{ name: 'a' }], [{ name: 'a b', value: 1 }]])('rejects %o', (a) => expect(sysctl.args.safeParse(a).success).toBe(false));
});
