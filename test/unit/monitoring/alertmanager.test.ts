// roles/alertmanager's routing, rendered for each kind of receiver and checked by Alertmanager's own
// amtool (Debian's prometheus-alertmanager on the control machine).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplateText } from '../../../src/core/template.js';

const template = join(import.meta.dirname, '../../../roles/alertmanager/templates/alertmanager.yml.ejs');
const defaults: Record<string, unknown> = {
  alertmanager_group_by: ['alertname', 'host', 'instance'], alertmanager_group_wait: '30s', alertmanager_group_interval: '5m',
  alertmanager_repeat_interval: '4h', alertmanager_resolve_timeout: '5m', alertmanager_webhook_urls: [], alertmanager_email_to: '',
  alertmanager_email_from: 'alertmanager@foobar.com', alertmanager_smtp_smarthost: 'localhost:25', alertmanager_smtp_auth_username: '',
  alertmanager_smtp_auth_password: '', alertmanager_smtp_require_tls: true, alert_receiver_enabled: false, alert_receiver_port: 9097,
};
const dir = mkdtempSync(join(tmpdir(), 'amtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Receiver = { name: string; webhook_configs?: { url: string; send_resolved: boolean }[]; email_configs?: { to: string }[] };
function rendered(vars: Record<string, unknown>, name: string): { text: string; config: { route: Record<string, unknown>; receivers: Receiver[]; global: Record<string, unknown> } } {
  const text = renderTemplateText(readFileSync(template, 'utf8'), { ...defaults, ...vars }, 'alertmanager.yml.ejs');
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, text);
  const run = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  return { text, config: parse(text) as never };
}

describe('roles/alertmanager configuration (amtool check-config)', () => {
  it('no receiver configured: a valid file whose receiver notifies nobody', () => {
    const { config } = rendered({}, 'none');
    expect(config.receivers).toEqual([{ name: 'default' }]);
    expect(config.route).toMatchObject({ receiver: 'default', group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
  });

  it('the lab: its webhook receiver on loopback, resolved alerts sent too, short intervals', () => {
    const { config } = rendered({ alert_receiver_enabled: true, alertmanager_group_wait: '1s', alertmanager_group_interval: '5s' }, 'lab');
    expect(config.receivers[0]?.webhook_configs).toEqual([{ url: 'http://127.0.0.1:9097/', send_resolved: true }]);
    expect(config.route).toMatchObject({ group_wait: '1s', group_interval: '5s' });
  });

  it('e-mail with SMTP authentication, beside a webhook', () => {
    const { config } = rendered({
      alertmanager_email_to: 'ops@foobar.com', alertmanager_smtp_smarthost: 'smtp.foobar.com:587',
      alertmanager_smtp_auth_username: 'alerts', alertmanager_smtp_auth_password: 'p"w: #1', alertmanager_webhook_urls: ['https://hooks.foobar.com/x'],
    }, 'email');
    expect(config.receivers[0]?.email_configs?.[0]?.to).toBe('ops@foobar.com');
    expect(config.receivers[0]?.webhook_configs?.map((w) => w.url)).toEqual(['https://hooks.foobar.com/x']);
    // A password with quotes and a '#' survives YAML quoting.
    expect(config.global.smtp_auth_password).toBe('p"w: #1');
  });

  it('amtool refuses a bad interval (what the validate of the task relies on)', () => {
    const text = renderTemplateText(readFileSync(template, 'utf8'), { ...defaults, alertmanager_group_wait: 'soon' }, 'alertmanager.yml.ejs');
    const file = join(dir, 'bad.yml');
    writeFileSync(file, text);
    expect(spawnSync('amtool', ['check-config', file], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
