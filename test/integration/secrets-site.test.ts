// No secret of the site in any output of a whole-site run (issue 9, item 1): site.yaml in check mode
// (the lab is not changed) with every secret of the site overridden by -e to new random values, so
// that the templates and database accounts that hold them show changes and diffs. Its --json lines,
// its -vv --diff text, its HTML report, its history files and its retry file are searched for every
// secret value, the new ones and the inventory's current ones.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isSecretName } from '../../src/core/secret-names.js';
import { provision, recap, type CliRun, type ResultEvent } from './helpers/cli.js';
import { describeLab, labHostNames, labInventory } from './helpers/lab.js';

/**
 * Every secret the site's roles use (their templates and tasks; inventory/vagrant.yaml sets the first
 * five, roles/alertmanager/defaults the last), each with a new random value.
 */
const siteSecrets = [
  'mysql_replication_password',
  'app_db_password',
  'mysql_witness_password',
  'app_session_secret',
  'mysqld_exporter_password',
  'alertmanager_smtp_auth_password',
] as const;
const overrides: Record<string, string> = Object.fromEntries(siteSecrets.map((name) => [name, `${name.split('_')[0]}-${randomBytes(10).toString('hex')}`]));
/** Not secrets: they make alertmanager.yml hold the SMTP password, so that it is in a diff too. */
const smtp = { alertmanager_email_to: 'ops@foobar.com', alertmanager_smtp_smarthost: 'smtp.foobar.com:587', alertmanager_smtp_auth_username: 'alerts' };

const common = ['run', 'playbooks/site.yaml', '-i', labInventory, '--lock-timeout', '300'];

let work = '';
let historyDir = '';
let retryFile = '';
let reportFile = '';
let json: CliRun;
let text: CliRun;

/** The secret values of inventory/vagrant.yaml's all.vars (what the lab runs with now). */
function inventorySecrets(): string[] {
  const doc = parse(readFileSync(labInventory, 'utf8')) as { all: { vars: Record<string, unknown> } };
  return Object.entries(doc.all.vars)
    .filter(([name, value]) => isSecretName(name) && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
}

/** Every value searched: the new ones, and the random part of each alone (in case it is quoted or cut). */
function searched(): string[] {
  const fresh = Object.values(overrides);
  return [...fresh, ...fresh.map((v) => v.slice(v.indexOf('-') + 1)), ...inventorySecrets()];
}

function expectNoSecret(where: string, content: string): void {
  expect(content.length, `${where} is empty`).toBeGreaterThan(0);
  for (const secret of searched()) expect(content.includes(secret), `${where} contains ${secret}`).toBe(false);
}

function checkRun(...extra: string[]): CliRun {
  const vars = ['-e', JSON.stringify({ ...overrides, ...smtp })];
  return provision([...common, '--check', '--diff', '-vv', '--history-dir', historyDir, '--retry-file', retryFile, ...vars, ...extra]);
}

describeLab('no secret of the site in any output of a whole-site run', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'provision-secrets-site-'));
    historyDir = join(work, 'history');
    retryFile = join(work, 'site.retry');
    reportFile = join(work, 'report.html');
    // The site converged (a no-op on a converged lab), as stack.test.ts and chaos.test.ts do: check
    // mode then shows exactly what the new secrets change.
    const converge = provision([...common, '--json', '--no-retry-file', '--no-history']);
    expect(converge.code, converge.stderr + converge.stdout.slice(-3000)).toBe(0);
    json = checkRun('--json');
    text = checkRun('--report', reportFile);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the runs succeed in check mode on every host', () => {
    expect(json.code, json.stderr + json.stdout.slice(-3000)).toBe(0);
    expect(Object.keys(recap(json)).sort()).toEqual([...labHostNames].sort());
    expect(text.code, text.stderr + text.stdout.slice(-3000)).toBe(0);
    expect(text.stdout).toMatch(/PLAY RECAP/);
  });

  it('the runs reported changes where the secrets live (so the search below could find them)', () => {
    const changed = (host: string, task: string): ResultEvent[] =>
      json.events.filter((e): e is ResultEvent => e.type === 'result' && e.host === host && e.task === task && e.status === 'changed');
    for (const task of [
      "mysql : replication account, from each server's address only",
      'mysql : app account from each web host',
      'mysql : witness account from each monitoring host',
      'mysql : mysqld_exporter account, local connections only',
    ]) {
      expect(changed('web01', task), task).not.toHaveLength(0);
    }
    expect(changed('web02', 'mysql : replicate from the primary with GTID')).not.toHaveLength(0);
    for (const host of ['web01', 'web02']) {
      expect(changed(host, "mysqld_exporter : the exporter's MariaDB credentials, readable by its user only"), host).toHaveLength(1);
      const [settings] = changed(host, 'app : settings (database password and session key included)');
      // The diff is recorded, both sides of each secret line masked, and marked: only secrets differ.
      const diff = JSON.stringify(settings?.diff ?? null);
      expect(diff, host).toContain('secret_key = ********');
      expect(diff, host).toContain('password = ********');
      expect(settings?.diff?.[0]?.only_secrets_differ, host).toBe(true);
    }
    expect(changed('mon01', "mysql_witness : the witness's settings")).toHaveLength(1);
    expect(changed('mon01', 'alertmanager : routing and receivers')).toHaveLength(1);
    // The text output and the report say that the app settings change, in secrets only, on both web servers.
    const note = '/etc/foobar/app.ini: only secret values change (masked, not shown)';
    expect(text.stdout.split(note)).toHaveLength(3);
    expect(readFileSync(reportFile, 'utf8')).toContain(note);
  });

  it('no secret in the --json lines nor on stderr', () => {
    expectNoSecret('--json stdout', json.stdout);
    expect(json.stderr, 'stderr').not.toMatch(new RegExp(searched().join('|')));
  });

  it('no secret in the -vv --diff text', () => {
    expectNoSecret('text output', text.stdout + text.stderr);
  });

  it('no secret in the HTML report', () => {
    const html = readFileSync(reportFile, 'utf8');
    expect(html).toContain('app : settings');
    expectNoSecret('the HTML report', html);
  });

  it('no secret in the history files nor in a retry file', () => {
    const files = readdirSync(historyDir);
    expect(files).toHaveLength(2);
    for (const file of files) expectNoSecret(`history ${file}`, readFileSync(join(historyDir, file), 'utf8'));
    // Every host succeeded: no retry file is written; if one were, it must hold no secret either.
    if (existsSync(retryFile)) expectNoSecret('the retry file', readFileSync(retryFile, 'utf8'));
  });
});
