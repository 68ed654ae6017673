// Every kind of secret (vault files included), through the real CLI over a local connection, with -vv --diff and with --json:
// no value may appear in stdout, stderr or the retry file. The files the play writes start with
// previous passwords that no variable holds (the old side of the diff must hide them too).

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, provision, ROOT, tempDir, type CliResult } from './cli.js';

const DIR = join(ROOT, 'test/fixtures/secrets');

/** Every secret value of the fixture and where it comes from. */
const SECRETS: Record<string, string> = {
  'inv-pw-AAA1': 'inventory db_password',
  'become-pw-BBB2': 'inventory ansible_become_pass',
  'ssh-pw-CCC3': 'inventory ansible_ssh_pass',
  'tok-DDD4': 'inventory api_token',
  'pass-EEE5': 'inventory smtp_pass',
  'alice-pw-FFF6': 'a password inside a list of users',
  'tpl-GGG7': 'a templated x_password, as rendered',
  'cli-HHH8': 'extra var cli_token',
  'sf-III9': 'made_password made by set_fact',
  'nolog-2010': 'stdout of a no_log task',
  'reg-1011': 'stdout registered as reg_token',
  'old-pw-LLL12': 'the previous password in app.conf (old side of the diff)',
  'old-whole-MMM13': 'the previous content of secret.txt (old side of the diff)',
  'key-NNN14': 'inventory tls_private_key',
  'vault-hv-OOO15': 'a vaulted host_vars file (the name says nothing)',
  'vault-vf-PPP16': 'a vaulted vars_files file (the name says nothing)',
  'fixture-vault-pw': 'the vault password',
};

let home: { dir: string; cleanup: () => void };
const runs: Record<string, { result: CliResult; retry: string; work: string; history: string }> = {};

/** Every file's text below a directory (the run history). */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allText(path) : readFileSync(path, 'utf8');
  }).join('\n');
}

function run(label: string, flags: string[]): void {
  const work = join(home.dir, label);
  mkdirSync(work);
  writeFileSync(join(work, 'app.conf'), 'user = app\npassword = old-pw-LLL12\n');
  writeFileSync(join(work, 'secret.txt'), 'old-whole-MMM13\n');
  const retryFile = join(work, 'every-secret.retry');
  const result = provision(
    ['run', join(DIR, 'every-secret.yaml'), '-i', join(DIR, 'inventory.yaml'), '-e', `tmp=${work}`, '-e', 'cli_token=cli-HHH8', '--retry-file', retryFile, '--vault-password-file', join(DIR, 'vault-password'), '--history-dir', join(work, 'history'), ...flags],
    { home: home.dir, cwd: work },
  );
  runs[label] = { result, retry: existsSync(retryFile) ? readFileSync(retryFile, 'utf8') : '', work, history: allText(join(work, 'history')) };
}

beforeAll(() => {
  ensureBuilt();
  home = tempDir();
  run('text', ['-vv', '--diff']);
  run('json', ['-vv', '--diff', '--json']);
}, 120_000);
afterAll(() => home.cleanup());

describe.each(['text', 'json'])('every secret with -vv --diff (%s output)', (label) => {
  it('the play ran: the files hold the new secrets and the last task failed', () => {
    const { result, retry, work } = runs[label]!;
    expect(result.status, result.stdout + result.stderr).toBe(2);
    expect(readFileSync(join(work, 'app.conf'), 'utf8')).toBe('user = app\npassword = inv-pw-AAA1\n');
    expect(readFileSync(join(work, 'secret.txt'), 'utf8')).toBe('sf-III9\n');
    expect(retry).toBe('box1\n');
    // The run history was written (and is searched for every value below).
    expect(runs[label]!.history).toContain('every kind of secret');
    // The output is there, masked: the tasks did show something.
    expect(result.stdout).toContain('********');
    expect(result.stdout).toMatch(/made \*{8}/);
    expect(result.stdout).toMatch(/from host_vars \*{8}, from vars_files \*{8}/);
    if (label === 'json') {
      const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; diff?: { before: string }[] });
      const diffs = events.filter((e) => e.type === 'result' && e.diff).map((e) => e.diff?.[0]?.before);
      expect(diffs).toEqual(['user = app\npassword = ********\n', '********\n']);
    }
  });

  it.each(Object.entries(SECRETS))('%s (%s) appears nowhere', (value) => {
    const { result, retry, history } = runs[label]!;
    expect(result.stdout).not.toContain(value);
    expect(result.stderr).not.toContain(value);
    expect(retry).not.toContain(value);
    expect(history).not.toContain(value);
  });

  it('a no_log task without a name is not titled from its arguments', () => {
    const { result } = runs[label]!;
    expect(result.stdout).not.toContain('nolog-$((2000');
    expect(result.stdout).toMatch(/\bshell\b/);
  });
});

describe('provision inventory masks them too', () => {
  it.each([['--list'], ['--host', 'box1']])('inventory %s', (...mode) => {
    const r = provision(['inventory', '-i', join(DIR, 'inventory.yaml'), '--vault-password-file', join(DIR, 'vault-password'), ...mode], { home: home.dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('"vault_root_word": "********"');
    const inInventory = ['inv-pw-AAA1', 'become-pw-BBB2', 'ssh-pw-CCC3', 'tok-DDD4', 'pass-EEE5', 'alice-pw-FFF6', 'key-NNN14', 'vault-hv-OOO15'];
    for (const value of inInventory) expect(r.stdout + r.stderr).not.toContain(value);
  });
});
