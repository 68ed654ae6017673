// roles/prometheus's templates checked by Prometheus' own tool: the alert rules rendered with fixed
// durations and thresholds, then `promtool test rules` on alerts.test.yml (every alert fires only
// after its `for:`, and healthy input does not fire it); the configuration rendered for an inventory,
// then `promtool check config`. promtool comes from Debian's `prometheus` (.ci/lab-prereqs.sh).

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplateText } from '../../../src/core/template.js';

const here = import.meta.dirname;
const templates = join(here, '../../../roles/prometheus/templates');
const render = (name: string, vars: Record<string, unknown>): string => renderTemplateText(readFileSync(join(templates, name), 'utf8'), vars, name);

// What alerts.test.yml assumes: every `for:` 1m, rates over 1m, these thresholds.
const ruleVars: Record<string, unknown> = {
  prometheus_haproxy_backend: 'web',
  prometheus_haproxy_frontend: 'https',
  prometheus_alert_rate_window: '1m',
  prometheus_alert_5xx_ratio: 0.05,
  prometheus_alert_replication_lag_seconds: 30,
  prometheus_alert_cert_expiry_days: 14,
  prometheus_alert_cpu_percent: 90,
  prometheus_alert_memory_percent: 90,
  prometheus_alert_disk_percent: 85,
  prometheus_alert_disk_mountpoint_exclude: '^/(dev|proc|sys|run)($|/)',
  prometheus_alert_disk_fstype_exclude: '^(ramfs|squashfs|nsfs|overlay|fuse.lxcfs|devtmpfs)$',
};
for (const name of ['host_down', 'exporter_down', 'backend_down', 'site_down', 'probe_failed', '5xx', 'replication_broken', 'replication_lag', 'cert_expiry', 'cpu', 'memory', 'disk', 'vip_missing']) {
  ruleVars[`prometheus_alert_${name}_for`] = '1m';
}

const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8' });

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  writeFileSync(join(dir, 'foobar.rules.yml'), render('foobar.rules.yml.ejs', ruleVars));
  copyFileSync(join(here, 'alerts.test.yml'), join(dir, 'alerts.test.yml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('roles/prometheus alert rules', () => {
  it('promtool is installed (apt-get install prometheus; .ci/lab-prereqs.sh does)', () => {
    expect(execFileSync('promtool', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toMatch(/promtool, version 2\./);
  });

  it('the rendered rules pass promtool check rules', () => {
    const run = promtool('check', 'rules', join(dir, 'foobar.rules.yml'));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS: 13 rules found/);
  });

  it('every alert fires after its for: on a fault, and not on healthy input (promtool test rules)', () => {
    const run = promtool('test', 'rules', join(dir, 'alerts.test.yml'));
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS/);
  });

  it('every alert of the rules has a firing case in alerts.test.yml', () => {
    type Rules = { groups: { rules: { alert: string; annotations: Record<string, string> }[] }[] };
    type Tests = { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const rules = (parse(readFileSync(join(dir, 'foobar.rules.yml'), 'utf8')) as Rules).groups.flatMap((g) => g.rules);
    const tested = new Set((parse(readFileSync(join(here, 'alerts.test.yml'), 'utf8')) as Tests).tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect(rules.map((r) => r.alert).sort()).toEqual(['BlackboxProbeFailed', 'CertificateExpiring', 'DiskFull', 'ExporterDown', 'HaproxyBackendDown', 'High5xxRate', 'HighCpu', 'HighMemory', 'HostDown', 'ReplicationBroken', 'ReplicationLag', 'SiteDown', 'VipMissing']);
    for (const rule of rules) {
      expect(tested.has(rule.alert), rule.alert).toBe(true);
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(['description', 'summary']);
    }
  });

  it('a broken threshold is refused by promtool check rules (what the validate of the task relies on)', () => {
    const bad = join(dir, 'bad.rules.yml');
    writeFileSync(bad, render('foobar.rules.yml.ejs', { ...ruleVars, prometheus_alert_cpu_percent: '90 %' }));
    expect(promtool('check', 'rules', bad).status).not.toBe(0);
  });
});

describe('roles/prometheus configuration', () => {
  const hosts: Record<string, string> = { lb01: '192.168.56.10', web01: '192.168.56.11', web02: '192.168.56.12', lb02: '192.168.56.13', mon01: '192.168.56.14' };
  const inventory = (extra: Record<string, string> = {}) => {
    const all = { ...hosts, ...extra };
    const groups: Record<string, string[]> = { all: Object.keys(all), lb: ['lb01', 'lb02'], web: ['web01', 'web02', ...Object.keys(extra)], monitoring: ['mon01'] };
    const hostvars = Object.fromEntries(Object.entries(all).map(([h, a]) => [h, { ansible_host: a }]));
    return {
      groups, hostvars, inventory_hostname: 'mon01', ansible_host: '192.168.56.14', site_domain: 'www.foobar.com', site_vip: '192.168.56.100',
      node_exporter_port: 9100, mysqld_exporter_port: 9104, haproxy_exporter_port: 8405, blackbox_exporter_port: 9115, prometheus_port: 9090, alertmanager_port: 9093,
      prometheus_listen_address: '192.168.56.14:9090', prometheus_alertmanager_target: '192.168.56.14:9093', prometheus_blackbox_target: '192.168.56.14:9115',
      prometheus_scrape_interval: '5s', prometheus_scrape_timeout: '4s', prometheus_evaluation_interval: '5s',
      prometheus_node_group: 'all', prometheus_mysqld_group: 'web', prometheus_haproxy_group: 'lb',
      prometheus_blackbox_https_url: 'https://www.foobar.com/', prometheus_blackbox_https_module: 'https_site',
      prometheus_blackbox_redirect_url: 'http://www.foobar.com/', prometheus_blackbox_redirect_module: 'http_redirect',
      prometheus_blackbox_vip_target: '192.168.56.100:22', prometheus_blackbox_vip_module: 'tcp_vip',
      prometheus_rules_file: join(dir, 'foobar.rules.yml'),
    };
  };
  type Config = { scrape_configs: { job_name: string; params?: { module: string[] }; static_configs: { targets: string[]; labels?: { host: string } }[] }[] };
  const jobs = (text: string) => Object.fromEntries((parse(text) as Config).scrape_configs.map((j) => [j.job_name, j]));
  const targetsOf = (text: string, job: string) => jobs(text)[job]?.static_configs.flatMap((s) => s.targets.map((t) => `${s.labels?.host ?? ''}=${t}`));

  it('targets come from the inventory, and promtool check config accepts the file', () => {
    const text = render('prometheus.yml.ejs', inventory());
    const file = join(dir, 'prometheus.yml');
    writeFileSync(file, text);
    const run = promtool('check', 'config', file);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(targetsOf(text, 'node')).toEqual(['lb01=192.168.56.10:9100', 'web01=192.168.56.11:9100', 'web02=192.168.56.12:9100', 'lb02=192.168.56.13:9100', 'mon01=192.168.56.14:9100']);
    expect(targetsOf(text, 'mysqld')).toEqual(['web01=192.168.56.11:9104', 'web02=192.168.56.12:9104']);
    expect(targetsOf(text, 'haproxy')).toEqual(['lb01=192.168.56.10:8405', 'lb02=192.168.56.13:8405']);
    expect(jobs(text).blackbox_https?.params?.module).toEqual(['https_site']);
    expect(targetsOf(text, 'blackbox_redirect')).toEqual(['=http://www.foobar.com/']);
    expect(targetsOf(text, 'blackbox_vip')).toEqual(['=192.168.56.100:22']);
  });

  it('a host added to the web group is scraped by node and mysqld on the next run', () => {
    const text = render('prometheus.yml.ejs', inventory({ web03: '192.168.56.15' }));
    expect(targetsOf(text, 'node')).toContain('web03=192.168.56.15:9100');
    expect(targetsOf(text, 'mysqld')).toContain('web03=192.168.56.15:9104');
    expect(targetsOf(text, 'haproxy')).not.toContain('web03=192.168.56.15:8405');
  });
});
