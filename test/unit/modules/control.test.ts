import { describe, expect, it } from 'vitest';
import { fileStat } from '../../../src/facts/files.js';
import assert from '../../../src/modules/assert.js';
import debug from '../../../src/modules/debug.js';
import fail from '../../../src/modules/fail.js';
import { moduleList, modulesByName } from '../../../src/modules/index.js';
import setFact from '../../../src/modules/set-fact.js';
import stat from '../../../src/modules/stat.js';
import { checkCase, type TableCase } from './fact-table.js';

describe('set_fact', () => {
  it.each<TableCase>([
    { name: 'sets host facts', args: { app_port: 8080, peers: ['a'], cacheable: 'yes' }, expect: { commands: [], facts: { app_port: 8080, peers: ['a'] }, rounds: 0 } },
  ])('$name', (c) => checkCase(setFact, c, expect));
  it.each([[{}], [{ 'bad-name': 1 }], [{ cacheable: true }]])('rejects %o', (a) => expect(setFact.args.safeParse(a).success).toBe(false));
  it('defines its keys as variables, not cacheable', () => {
    expect(setFact.definesVariables?.({ app_port: '<%= port %>', cacheable: true, peers: [] })).toEqual(['app_port', 'peers']);
    expect(setFact.definesVariables?.('not a mapping')).toEqual([]);
  });
});

describe('debug', () => {
  it.each<TableCase>([
    { name: 'msg', args: { msg: 'hi' }, expect: { commands: [], result: { msg: 'hi' }, rounds: 0 } },
    { name: 'default msg', args: {}, expect: { result: { msg: 'Hello world!' } } },
    { name: 'var by name', args: { var: 'app_port' }, vars: { app_port: 8080 }, expect: { result: { app_port: 8080, msg: '8080' } } },
    { name: 'var by dotted path', args: { var: 'db.hosts[1]' }, vars: { db: { hosts: ['a', 'b'] } }, expect: { result: { 'db.hosts[1]': 'b' } } },
    { name: 'undefined var', args: { var: 'nope' }, expect: { result: { nope: 'VARIABLE IS NOT DEFINED!' } } },
    { name: 'var whose value is a template: its value', args: { var: 'url' }, vars: { host: 'db1', url: 'mysql://<%= host %>/app' }, expect: { result: { url: 'mysql://db1/app', msg: 'mysql://db1/app' } } },
    { name: "verbosity above the run's: skipped", args: { msg: 'hi', verbosity: 2 }, verbosity: 1, expect: { commands: [], skipped: 'Verbosity threshold not met.', rounds: 0 } },
    { name: 'verbosity reached: shown', args: { msg: 'hi', verbosity: 2 }, verbosity: 2, expect: { result: { msg: 'hi' } } },
  ])('$name', (c) => checkCase(debug, c, expect));
  it('displays its message: text as it is, other values as indented JSON, nothing without one', () => {
    expect(debug.display?.({ msg: 'hello' })).toBe('hello');
    expect(debug.display?.({ msg: { a: [1] } })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(debug.display?.({})).toBeUndefined();
  });
  it('displays a variable as Ansible does, `"NAME": VALUE` (a result with changed/failed flags too)', () => {
    expect(debug.display?.({ app_port: 8080, msg: '8080', changed: false, failed: false })).toBe('"app_port": 8080');
    expect(debug.display?.({ 'db.hosts': ['a'], msg: '["a"]' })).toBe('"db.hosts": [\n  "a"\n]');
  });
  it('rejects msg with var', () => expect(debug.args.safeParse({ msg: 'a', var: 'b' }).success).toBe(false));
});

describe('assert', () => {
  it.each<TableCase>([
    { name: 'all true', args: { that: [true, true], success_msg: 'fine' }, expect: { result: { msg: 'fine' }, rounds: 0 } },
    { name: 'one false', args: { that: [true, false], fail_msg: 'port must be set' }, expect: { failed: 'port must be set', result: { assertion: 'that[1]' } } },
    { name: 'msg alias and single value', args: { that: false, msg: 'nope' }, expect: { failed: 'nope' } },
    { name: 'default message', args: { that: [false] }, expect: { failed: 'Assertion failed' } },
    { name: 'unevaluated string is an internal failure', args: { that: ['x > 1'] }, expect: { failed: /not evaluated by the engine/ } },
  ])('$name', (c) => checkCase(assert, c, expect));
  it('validates condition strings before evaluation', () => expect(assert.args.safeParse({ that: ['a is defined'] }).success).toBe(true));
});

describe('fail', () => {
  it.each<TableCase>([
    { name: 'with msg', args: { msg: 'stop' }, expect: { failed: 'stop' } },
    { name: 'default', args: {}, expect: { failed: 'Failed as requested from task' } },
  ])('$name', (c) => checkCase(fail, c, expect));
});

describe('stat', () => {
  const file = { exists: true, type: 'file', mode: '0640', owner: 'root', group: 'adm', uid: 0, gid: 4, size: 12, mtime: 5, sha256: 'abc' };
  it.each<TableCase>([
    {
      name: 'regular file in Ansible shape, one round',
      args: { path: '/etc/x' },
      facts: { [fileStat('/etc/x').key]: file },
      expect: { commands: [], rounds: 1, result: { stat: { exists: true, isreg: true, isdir: false, islnk: false, mode: '0640', pw_name: 'root', gr_name: 'adm', size: 12, checksum: 'abc' } } },
    },
    { name: 'absent', args: { path: '/nope' }, facts: { [fileStat('/nope').key]: { exists: false } }, expect: { result: { stat: { exists: false } } } },
    {
      name: 'no checksum, follow',
      args: { path: '/l', get_checksum: false, follow: true },
      facts: { [fileStat('/l', { follow: true, checksum: false }).key]: { ...file, sha256: undefined } },
      expect: { result: { stat: { isreg: true } } },
    },
    { name: 'link', args: { path: '/l' }, facts: { [fileStat('/l').key]: { ...file, type: 'link', linkTarget: '/t', sha256: undefined } }, expect: { result: { stat: { islnk: true, lnk_target: '/t' } } } },
  ])('$name', (c) => checkCase(stat, c, expect));
  it('rejects sha1', () => expect(stat.args.safeParse({ path: '/x', checksum_algorithm: 'sha1' }).success).toBe(false));
});

describe('registry', () => {
  it('has every module of the issue under its name and ansible.builtin.NAME', () => {
    const names = ['command', 'shell', 'copy', 'template', 'file', 'lineinfile', 'blockinfile', 'apt', 'service', 'user', 'group', 'sysctl', 'wait_for', 'set_fact', 'debug', 'assert', 'fail', 'stat'];
    // Modules beyond the list (ufw, mysql_*) are tested in their own files.
    expect(moduleList.map((m) => m.name)).toEqual(expect.arrayContaining(names));
    for (const n of names) {
      expect(modulesByName.get(n)?.name).toBe(n);
      if (n !== 'sysctl') expect(modulesByName.get(`ansible.builtin.${n}`)?.name).toBe(n);
    }
  });
});
