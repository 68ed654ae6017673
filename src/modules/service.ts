// service / systemd: daemon-reload when systemd says a unit changed, enable/disable, then
// start/stop/restart/reload, from one `systemctl show`. systemd only (Debian 12's init).

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { serviceState } from '../facts/services.js';
import { argSpec } from './arg-spec.js';
import { bool } from './args.js';
import { defineModule, type ExecAction } from './types.js';

const args = argSpec(
  {
    name: z.string().min(1).optional(),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: bool().optional(),
    daemon_reload: bool().default(false),
    daemon_reexec: bool().default(false),
  },
  {
    requiredOneOf: [['name', 'daemon_reload', 'daemon_reexec']],
    checks: [
      [
        (a) => a.name === undefined || a.state !== undefined || a.enabled !== undefined || a.daemon_reload || a.daemon_reexec,
        'give at least one of state, enabled, daemon_reload',
      ],
    ],
  },
);

const RUNNING = new Set(['active', 'activating', 'reloading']);
/** UnitFileState values that count as enabled (is-enabled exits 0 for them; static units cannot be toggled). */
const ENABLED = new Set(['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated', 'transient']);
const DISABLED_ENOUGH = new Set(['disabled', 'static', 'masked', 'masked-runtime', 'indirect', 'generated', 'transient', 'bad', '']);

const systemctl = (verb: string, name: string): ExecAction => ({ kind: 'exec', command: `systemctl ${verb} ${quote(name)}` });

export default defineModule({
  name: 'service',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['systemd', 'systemd_service', 'ansible.builtin.service', 'ansible.builtin.systemd', 'ansible.builtin.systemd_service'],
  args,
  async plan(a, ctx) {
    const actions: ExecAction[] = [];
    if (a.daemon_reexec) actions.push({ kind: 'exec', command: 'systemctl daemon-reexec' });
    if (a.name === undefined) {
      // daemon_reload alone: Ansible runs it every time.
      if (a.daemon_reload) actions.push({ kind: 'exec', command: 'systemctl daemon-reload' });
      return { actions };
    }
    const st = await ctx.facts.get(serviceState(a.name));
    if (!st.exists) {
      if (!ctx.check) return { actions: [], failed: `Could not find the requested service ${a.name}` };
      // Check mode: an earlier (skipped) task would have installed the unit; predict the changes.
      if (a.daemon_reload) actions.push({ kind: 'exec', command: 'systemctl daemon-reload' });
      if (a.enabled === true) actions.push(systemctl('enable', a.name));
      if (a.state === 'started' || a.state === 'restarted') actions.push(systemctl(a.state === 'started' ? 'start' : 'restart', a.name));
      if (a.state === 'reloaded') actions.push(systemctl('reload-or-restart', a.name));
      return { actions, reason: `unit ${a.name} does not exist yet (check mode)` };
    }
    // A unit changed on disk must be re-read before it is started, whether or not daemon_reload was asked.
    if (a.daemon_reload && st.needDaemonReload) actions.push({ kind: 'exec', command: 'systemctl daemon-reload' });
    if (a.enabled === true && !ENABLED.has(st.unitFileState)) actions.push(systemctl('enable', a.name));
    if (a.enabled === false && !DISABLED_ENOUGH.has(st.unitFileState)) actions.push(systemctl('disable', a.name));
    const running = RUNNING.has(st.activeState);
    if (a.state === 'started' && !running) actions.push(systemctl('start', a.name));
    if (a.state === 'stopped' && (running || st.activeState === 'deactivating')) actions.push(systemctl('stop', a.name));
    if (a.state === 'restarted') actions.push(systemctl('restart', a.name));
    // Ansible starts a stopped service asked to be reloaded.
    if (a.state === 'reloaded') actions.push(systemctl(running ? 'reload' : 'start', a.name));
    return {
      actions,
      reason: `${a.name}: ${st.activeState}, ${st.unitFileState || 'no unit file state'}`,
      result: { name: a.name, state: running ? 'started' : 'stopped', enabled: ENABLED.has(st.unitFileState) },
    };
  },
});
