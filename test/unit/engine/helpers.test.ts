// Pure helpers: serial batches, tag selection and --start-at-task matching, -e parsing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../../src/cli/extra-vars.js';
import { InputError } from '../../../src/core/errors.js';
import type { Task } from '../../../src/core/playbook/types.js';
import { serialBatches } from '../../../src/engine/batches.js';
import { matchesTaskName, tagsSelect } from '../../../src/engine/task-filter.js';

const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `h${i + 1}`);
const sizes = (batches: string[][]): number[] => batches.map((b) => b.length);

describe('serialBatches', () => {
  it('no serial: one batch of every host; no hosts: no batch', () => {
    expect(serialBatches(hosts(3), undefined)).toEqual([['h1', 'h2', 'h3']]);
    expect(serialBatches(hosts(3), [])).toEqual([['h1', 'h2', 'h3']]);
    expect(serialBatches([], [2])).toEqual([]);
    expect(serialBatches([], undefined)).toEqual([]);
  });

  it.each([
    [5, [2], [2, 2, 1]],
    [4, ['2'], [2, 2]],
    [10, ['30%'], [3, 3, 3, 1]],
    [4, ['50%'], [2, 2]],
    [5, ['50%'], [2, 2, 1]],
    [3, ['10%'], [1, 1, 1]],
    [3, ['0%'], [1, 1, 1]],
    [4, ['100%'], [4]],
    [4, ['150%'], [4]],
    [4, [1, 2], [1, 2, 1]],
    [6, [1, 2], [1, 2, 2, 1]],
    [10, [1, '20%', '50%'], [1, 2, 5, 2]],
    [3, [10], [3]],
    [3, [0], [3]],
  ] as [number, (number | string)[], number[]][])('%i hosts, serial %j: %j', (n, serial, expected) => {
    const batches = serialBatches(hosts(n), serial);
    expect(sizes(batches)).toEqual(expected);
    expect(batches.flat()).toEqual(hosts(n));
  });
});

describe('tagsSelect (Ansible semantics)', () => {
  const cases: [string[], string[], string[], boolean][] = [
    // task tags, --tags, --skip-tags, selected
    [[], [], [], true],
    [['a'], [], [], true],
    [['never'], [], [], false],
    [['never', 'x'], [], [], false],
    [['never', 'x'], ['x'], [], true],
    [['never', 'x'], ['never'], [], true],
    [['never', 'x'], ['all'], [], false],
    [['never', 'x'], ['all', 'x'], [], true],
    [['never', 'x'], ['tagged'], [], false],
    [['always'], ['a'], [], true],
    [['always'], [], ['always'], false],
    [['always'], [], ['all'], true],
    [['always'], [], ['all', 'always'], false],
    [['always', 'never'], [], [], true],
    [['a'], ['b'], [], false],
    [['a', 'b'], ['b'], [], true],
    [['a'], ['tagged'], [], true],
    [[], ['tagged'], [], false],
    [[], ['untagged'], [], true],
    [['a'], ['untagged'], [], false],
    [['a'], ['all'], [], true],
    [['a'], [], ['a'], false],
    [['a', 'b'], ['a'], ['b'], false],
    [['a'], [], ['tagged'], false],
    [[], [], ['tagged'], true],
    [[], [], ['untagged'], false],
    [['a'], [], ['untagged'], true],
    [['a'], [], ['all'], false],
    [[], [], ['all'], false],
  ];
  it.each(cases)('task %j --tags %j --skip-tags %j: %s', (taskTags, tags, skip, expected) => {
    expect(tagsSelect(taskTags, tags, skip)).toBe(expected);
  });
});

describe('matchesTaskName', () => {
  const task = (name: string, role?: string): Task =>
    ({ name, ...(role ? { role: { name: role, path: '/r', defaults: {}, vars: {}, params: {} } } : {}) }) as unknown as Task;
  it('matches the whole name, or a role task without its prefix', () => {
    expect(matchesTaskName(task('install'), 'install')).toBe(true);
    expect(matchesTaskName(task('install'), 'Install')).toBe(false);
    expect(matchesTaskName(task('nginx : install'), 'nginx : install')).toBe(true);
    expect(matchesTaskName(task('nginx : install', 'nginx'), 'install')).toBe(true);
    expect(matchesTaskName(task('nginx : install', 'nginx'), 'nginx : install')).toBe(true);
    expect(matchesTaskName(task('nginx : install', 'nginx'), 'stall')).toBe(false);
    expect(matchesTaskName(task('install nginx'), 'install')).toBe(false);
  });
  it('takes a glob like Ansible (fnmatch): *, ?, [set], [!set]', () => {
    expect(matchesTaskName(task('install nginx'), 'install*')).toBe(true);
    expect(matchesTaskName(task('nginx : install', 'nginx'), 'inst?ll')).toBe(true);
    expect(matchesTaskName(task('web01 (a.b)'), 'web0[12] (a.b)')).toBe(true);
    expect(matchesTaskName(task('web03 (a.b)'), 'web0[!3] (a.b)')).toBe(false);
    expect(matchesTaskName(task('web01 (aXb)'), 'web0? (a.b)')).toBe(false);
    expect(matchesTaskName(task('configure'), 'install*')).toBe(false);
  });
});

describe('parseExtraVars', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-extra-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('key=value pairs are strings, split like a shell, each at its first =', () => {
    expect(parseExtraVars(['a=1 b="two words" c=\'x y\' d=k=v e=', '  f=6  '])).toEqual({
      a: '1',
      b: 'two words',
      c: 'x y',
      d: 'k=v',
      e: '',
      f: '6',
    });
  });

  it('inline JSON and YAML mappings keep their types', () => {
    expect(parseExtraVars(['{"n": 1, "l": [1, "x"], "m": {"k": true}}'])).toEqual({ n: 1, l: [1, 'x'], m: { k: true } });
    expect(parseExtraVars(['{n: 2, s: hello}'])).toEqual({ n: 2, s: 'hello' });
  });

  it('@FILE reads a YAML file', () => {
    const file = join(dir, 'vars.yaml');
    writeFileSync(file, 'port: 8080\nnames: [a, b]\n');
    expect(parseExtraVars([`@${file}`])).toEqual({ port: 8080, names: ['a', 'b'] });
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    expect(parseExtraVars([`@${empty}`])).toEqual({});
  });

  it('later arguments win', () => {
    expect(parseExtraVars(['a=1 b=1', '{"b": 2}', 'c=3 b=3'])).toEqual({ a: '1', b: '3', c: '3' });
    expect(parseExtraVars([])).toEqual({});
    expect(parseExtraVars(['', '   '])).toEqual({});
  });

  it.each([
    ['novalue'],
    ['=x'],
    ['a=1 b'],
    ['a="unbalanced'],
    ['a=x"'],
    ["a=it's"],
    ['[1, 2]'],
    ['{not: [closed}'],
  ])('rejects %j with an InputError', (arg) => {
    expect(() => parseExtraVars([arg])).toThrow(InputError);
  });

  it('rejects a file that is not a mapping, or is missing', () => {
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    expect(() => parseExtraVars([`@${list}`])).toThrow(InputError);
    expect(() => parseExtraVars([`@${join(dir, 'missing.yaml')}`])).toThrow(InputError);
  });
});
