import { describe, expect, it } from 'vitest';
import { serviceState } from '../../../src/facts/services.js';
import service from '../../../src/modules/service.js';
import { modulesByName } from '../../../src/modules/index.js';
import { checkCase, type TableCase } from './fact-table.js';

const S = (activeState: string, unitFileState: string, needDaemonReload = false) => ({
  [serviceState('nginx').key]: { exists: true, loadState: 'loaded', activeState, subState: '', unitFileState, needDaemonReload },
});
const MISSING = { [serviceState('nginx').key]: { exists: false, loadState: 'not-found', activeState: 'inactive', subState: 'dead', unitFileState: '', needDaemonReload: false } };

const cases: TableCase[] = [
  { name: 'running and enabled: no-op in one round', args: { name: 'nginx', state: 'started', enabled: true }, facts: S('active', 'enabled'), expect: { commands: [], rounds: 1 } },
  { name: 'stopped and disabled', args: { name: 'nginx', state: 'started', enabled: 'yes' }, facts: S('inactive', 'disabled'), expect: { commands: ['systemctl enable nginx', 'systemctl start nginx'] } },
  { name: 'failed unit is started', args: { name: 'nginx', state: 'started' }, facts: S('failed', 'enabled'), expect: { commands: ['systemctl start nginx'] } },
  { name: 'stop a running one', args: { name: 'nginx', state: 'stopped', enabled: false }, facts: S('active', 'enabled'), expect: { commands: ['systemctl disable nginx', 'systemctl stop nginx'] } },
  { name: 'already stopped', args: { name: 'nginx', state: 'stopped' }, facts: S('inactive', 'enabled'), expect: { commands: [] } },
  { name: 'restarted always acts', args: { name: 'nginx', state: 'restarted' }, facts: S('active', 'enabled'), expect: { commands: ['systemctl restart nginx'] } },
  { name: 'reloaded reloads a running one', args: { name: 'nginx', state: 'reloaded' }, facts: S('active', 'enabled'), expect: { commands: ['systemctl reload nginx'] } },
  { name: 'reloaded starts a stopped one', args: { name: 'nginx', state: 'reloaded' }, facts: S('inactive', 'enabled'), expect: { commands: ['systemctl start nginx'] } },
  { name: 'static unit counts as enabled', args: { name: 'nginx', enabled: true }, facts: S('active', 'static'), expect: { commands: [] } },
  { name: 'daemon_reload only when systemd says so', args: { name: 'nginx', state: 'started', daemon_reload: true }, facts: S('active', 'enabled', true), expect: { commands: ['systemctl daemon-reload'] } },
  { name: 'daemon_reload not needed', args: { name: 'nginx', state: 'started', daemon_reload: true }, facts: S('active', 'enabled', false), expect: { commands: [], rounds: 1 } },
  { name: 'missing unit fails', args: { name: 'nginx', state: 'started' }, facts: MISSING, expect: { failed: 'Could not find the requested service nginx' } },
  {
    name: 'missing unit in check mode: predicted, not failed',
    args: { name: 'nginx', state: 'restarted', enabled: true, daemon_reload: true },
    check: true,
    facts: MISSING,
    expect: { commands: ['systemctl daemon-reload', 'systemctl enable nginx', 'systemctl restart nginx'] },
  },
  { name: 'daemon_reload alone', args: { daemon_reload: true }, expect: { commands: ['systemctl daemon-reload'], rounds: 0 } },
];

describe('service', () => {
  it.each(cases)('$name', (c) => checkCase(service, c, expect));
  it('answers to systemd and ansible.builtin names', () => {
    for (const n of ['service', 'systemd', 'systemd_service', 'ansible.builtin.systemd', 'ansible.builtin.service']) expect(modulesByName.get(n)).toBe(service);
  });
  it.each([[{ state: 'started' }], [{ name: 'x' }], [{ name: 'x', state: 'running' }]])('rejects %o', (a) => expect(service.args.safeParse(a).success).toBe(false));
});
