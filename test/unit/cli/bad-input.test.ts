// Bad input through the real CLI: exit code 4, one paragraph naming file:line:col (or the flag) and
// what was expected, no stack trace, and no host touched. The hosts are local (ansible_connection:
// local) and every playbook's first task would create a marker file: it must not exist afterwards.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, expectInputError, expectNoStack, FIXTURES, INVENTORY, provision, tempDir } from './cli.js';

let tmp: ReturnType<typeof tempDir>;
let marker: string;
beforeAll(ensureBuilt, 120_000);
beforeEach(() => {
  tmp = tempDir();
  marker = join(tmp.dir, 'marker');
});
afterEach(() => tmp.cleanup());

const fx = (rel: string) => join(FIXTURES, rel);
const run = (args: string[]) => provision(args, { home: tmp.dir });

describe('the marker shows that a host is touched', () => {
  it('a good playbook on the same inventory creates it', () => {
    const r = run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`]);
    expectNoStack(r);
    expect(r.status).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});

// [fixture, file:line:col named by the error (relative to the fixtures), what it says]
const badPlaybooks: [string, string, RegExp][] = [
  ['bad/malformed.yaml', 'bad/malformed.yaml:8:14', /invalid YAML: Flow map .* end with a \}/],
  ['bad/unknown-module.yaml', 'bad/unknown-module.yaml:8:7', /unknown module 'aptt'\n {2}did you mean 'apt'\?/],
  ['bad/unknown-keyword.yaml', 'bad/unknown-keyword.yaml:10:7', /unknown task keyword 'whne'\n {2}did you mean 'when'\?/],
  ['bad/wrong-type.yaml', 'bad/wrong-type.yaml:10:23', /invalid argument 'update_cache' of module 'apt': expected boolean, got a list/],
  ['bad/missing-arg.yaml', 'bad/missing-arg.yaml:8:7', /missing required argument 'dest' for module 'copy' \(expected string\)/],
  ['bad/missing-role.yaml', 'bad/missing-role.yaml:5:7', /role 'nope_role' not found\n {2}looked in: .*bad\/roles/],
  ['bad/missing-template.yaml', 'bad/missing-template.yaml:9:14', /template 'nothing.conf.ejs' not found\n {2}looked in: .*templates\/nothing\.conf\.ejs/],
  ['bad/missing-copy-src.yaml', 'bad/missing-copy-src.yaml:9:14', /file 'does-not-exist.txt' not found\n {2}looked in: .*files\/does-not-exist\.txt/],
  ['bad/missing-vars-file.yaml', 'bad/missing-vars-file.yaml:5:7', /vars file 'nothing.yaml' not found/],
  ['bad/missing-include.yaml', 'bad/missing-include.yaml:7:22', /task file 'nothing.yaml' not found/],
  ['bad/role-cycle.yaml', 'bad/roles/b/meta/main.yaml:2:5', /cycle in role dependencies: a -> b -> a$/],
  ['bad/undefined-in-args.yaml', 'bad/undefined-in-args.yaml:9:14', /undefined variable 'typo_var'/],
  ['bad/undefined-typo.yaml', 'bad/undefined-typo.yaml:11:14', /^undefined variable 'app_prot'\n {2}did you mean 'app_port'\?$/],
  ['bad/undefined-in-when.yaml', 'bad/undefined-in-when.yaml:10:13', /undefined variable 'missing_in_when'/],
  ['bad/undefined-in-template.yaml', 'bad/templates/undefined.conf.ejs:2:1', /undefined variable 'not_there'/],
  ['bad/bad-hosts.yaml', 'bad/bad-hosts.yaml:2:10', /^bad host pattern 'boxes:&': '&' must be followed by a host or group$/],
];

describe('provision run with a bad playbook', () => {
  it.each(badPlaybooks)('%s -> %s', (playbook, where, what) => {
    const r = run(['run', fx(playbook), '-i', INVENTORY, '-e', `marker=${marker}`]);
    expectInputError(r, fx(where), what);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('several independent mistakes', () => {
  it('are all reported in one paragraph, each with its location', () => {
    const r = run(['run', fx('bad/several.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`]);
    const file = fx('bad/several.yaml');
    expectInputError(r, `${file}:8:7`, /^unknown module 'aptt'\n {2}did you mean 'apt'\?\n/);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(`${file}:12:7: unknown task keyword 'bogus_kw'`);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('provision validate', () => {
  it('prints valid and exits 0 for a good playbook', () => {
    const r = run(['validate', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`]);
    expectNoStack(r);
    expect(r.stdout).toMatch(/good\.yaml: valid \(1 plays, 0 roles, 2 tasks and handlers, variables and host patterns checked against the inventory\)\n$/);
    expect(r.status).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('without an inventory checks the playbook alone', () => {
    const r = run(['validate', fx('good.yaml')]);
    expect(r.stdout).toMatch(/good\.yaml: valid \(1 plays, 0 roles, 2 tasks and handlers\)\n$/);
    expect(r.status).toBe(0);
  });

  it.each(badPlaybooks)('%s -> exit 4 with the same message', (playbook, where, what) => {
    const r = run(['validate', fx(playbook), '-i', INVENTORY, '-e', `marker=${marker}`]);
    expectInputError(r, fx(where), what);
  });

  it('rejects a bad inventory', () => {
    const r = run(['validate', fx('good.yaml'), '-i', fx('inventories/unknown-group-key.yaml'), '-e', `marker=${marker}`]);
    expectInputError(r, fx('inventories/unknown-group-key.yaml:6:7'), /unknown key 'varz'/);
  });

  it('rejects a bad --limit', () => {
    const r = run(['validate', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, '--limit', 'boxes:&']);
    expectInputError(r, '--limit', /bad host pattern 'boxes:&'/);
  });
});

describe('provision run with a bad inventory', () => {
  it.each([
    ['inventories/bad-yaml.yaml', 'inventories/bad-yaml.yaml:5:11', /invalid YAML: Flow map .* end with a \}/],
    [
      'inventories/unknown-group-key.yaml',
      'inventories/unknown-group-key.yaml:6:7',
      /unknown key 'varz' in group 'boxes': a group may only have 'hosts', 'children' and 'vars'\n {2}did you mean 'vars'\?$/,
    ],
  ])('%s -> %s', (inventory, where, what) => {
    const r = run(['run', fx('good.yaml'), '-i', fx(inventory), '-e', `marker=${marker}`]);
    expectInputError(r, fx(where), what);
    expect(existsSync(marker)).toBe(false);
  });

  it('a missing inventory file is named', () => {
    const r = run(['run', fx('good.yaml'), '-i', fx('nothing-here.yaml'), '-e', `marker=${marker}`]);
    expectInputError(r, fx('nothing-here.yaml'), /file not found$/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('provision run with bad flags', () => {
  const cases: [string, () => string[], string, RegExp][] = [
    ['-e without =', () => ['-e', 'novalue'], "-e 'novalue'", /expected key=value, @FILE or a YAML\/JSON mapping/],
    ['-e with an empty key', () => ['-e', '=x'], "-e '=x'", /expected key=value/],
    ['-e with a list', () => ['-e', '[1, 2]'], "-e '[1, 2]'", /expected key=value, @FILE or a YAML\/JSON mapping/],
    ['-e with broken YAML', () => ['-e', '{a: [1'], '-e:1:5', /invalid YAML/],
    ['-e @missing file', () => ['-e', `@${join(tmp.dir, 'nope.yaml')}`], 'TMP/nope.yaml', /file not found/],
    [
      '-e @file that is not a mapping',
      () => {
        writeFileSync(join(tmp.dir, 'list.yaml'), '- 1\n- 2\n');
        return ['-e', `@${join(tmp.dir, 'list.yaml')}`];
      },
      '-e @TMP/list.yaml',
      /expected a mapping of variables/,
    ],
    ['--forks 0', () => ['--forks', '0'], '--forks', /expected a positive integer, got '0'/],
    ['--forks abc', () => ['--forks', 'abc'], '--forks', /expected a positive integer, got 'abc'/],
    ['--forks 1.5', () => ['-f', '1.5'], '--forks', /expected a positive integer, got '1\.5'/],
    ['--probe-window 0', () => ['--probe-window', '0'], '--probe-window', /expected a positive integer, got '0'/],
    ['--probe-window two', () => ['--probe-window', 'two'], '--probe-window', /expected a positive integer, got 'two'/],
    ['--timeout 0', () => ['--timeout', '0'], '--timeout', /expected seconds, got '0'/],
    ['--limit with a dangling &', () => ['--limit', 'boxes:&'], '--limit', /^bad host pattern 'boxes:&': '&' must be followed by a host or group$/],
    ['--limit with a dangling !', () => ['--limit', 'boxes:!'], '--limit', /^bad host pattern 'boxes:!': '!' must be followed by a host or group$/],
    ['--limit with an invalid regular expression', () => ['--limit', '~['], '--limit', /^bad host pattern '~\[': '~\[' is not a valid regular expression \(Unterminated character class\)$/],
    ['--limit @missing file', () => ['--limit', `@${join(tmp.dir, 'none.retry')}`], '--limit', /the host list file .*none\.retry not found$/],
    ['--start-at-task that names no task', () => ['--start-at-task', 'nope'], '--start-at-task', /no task named 'nope'/],
  ];
  it.each(cases)('%s', (_name, extra, where, what) => {
    const r = run(['run', fx('good.yaml'), '-i', INVENTORY, '-e', `marker=${marker}`, ...extra()]);
    expectInputError(r, where.replace('TMP', tmp.dir), what);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('provision exec with bad input', () => {
  it('a bad --hosts pattern names the flag', () => {
    const r = run(['exec', `touch ${marker}`, '-i', INVENTORY, '--hosts', 'boxes:&']);
    expectInputError(r, '--hosts', /^bad host pattern 'boxes:&': '&' must be followed by a host or group$/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a bad --limit names the flag', () => {
    const r = run(['exec', `touch ${marker}`, '-i', INVENTORY, '--limit', '!']);
    expectInputError(r, '--limit', /^bad host pattern '!': '!' must be followed by a host or group$/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a bad inventory stops it', () => {
    const r = run(['exec', `touch ${marker}`, '-i', fx('inventories/unknown-group-key.yaml')]);
    expectInputError(r, fx('inventories/unknown-group-key.yaml:6:7'), /unknown key 'varz'/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('commander usage errors', () => {
  it.each([
    [['frobnicate'], /^error: unknown command 'frobnicate'/],
    [['rnu', fx('good.yaml')], /^error: unknown command 'rnu'\n\(Did you mean run\?\)/],
    [['run', fx('good.yaml'), '--limt', 'box1'], /^error: unknown option '--limt'\n\(Did you mean --limit\?\)/],
    [['run', fx('good.yaml'), 'extra'], /^error: too many arguments for 'run'/],
    [['run', fx('good.yaml'), '--bogus'], /^error: unknown option '--bogus'/],
    [['run'], /^error: missing required argument 'playbook'/],
    [['run', fx('good.yaml'), '-i', INVENTORY, '--forks'], /^error: option '-f, --forks <N>' argument missing/],
    [['exec'], /^error: missing required argument 'command'/],
  ])('%j exits 4 with a usage hint', (args, what) => {
    const r = run([...args]);
    expectNoStack(r);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).toMatch(/--help/);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(4);
  });
});
