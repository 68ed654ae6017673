// The node_exporter role on the lab: converge, idempotence, check mode, then verify that the
// exporter listens on each host's private address only, answers the monitoring host (mon01 in the
// lab) and, once the ufw role has run, nobody else.

import { expect, it } from 'vitest';
import { provision, recap, type CliRun } from '../helpers/cli.js';
import { describeLab, labHostNames, labHosts, labInventory, sshExec } from '../helpers/lab.js';

const role = (name: string, ...extra: string[]): CliRun => provision(['role', name, '-i', labInventory, '--json', ...extra]);
const ok = (run: CliRun): void => expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
const { web01 } = labHosts;

describeLab('role node_exporter', () => {
  it('converges on the three hosts', () => {
    const run = role('node_exporter');
    ok(run);
    expect(Object.keys(recap(run)).sort()).toEqual([...labHostNames].sort());
  });

  it('a second run changes nothing on any host', () => {
    const run = role('node_exporter');
    ok(run);
    for (const [host, counts] of Object.entries(recap(run))) expect(counts.changed, host).toBe(0);
  });

  it('check mode on the converged hosts predicts no change', () => {
    const run = role('node_exporter', '--check', '--diff');
    ok(run);
    for (const [host, counts] of Object.entries(recap(run))) expect(counts.changed, host).toBe(0);
  });

  it('listens on the private address only, enabled and running', () => {
    for (const host of labHostNames) {
      const address = labHosts[host];
      const listeners = sshExec(host, `ss -Hltn 'sport = :9100'`).trim().split('\n').map((l) => l.split(/\s+/)[3]);
      expect(listeners, host).toEqual([`${address}:9100`]);
      expect(sshExec(host, 'systemctl is-enabled prometheus-node-exporter; systemctl is-active prometheus-node-exporter').split('\n').slice(0, 2), host).toEqual(['enabled', 'active']);
      expect(sshExec(host, 'cat /etc/default/prometheus-node-exporter'), host).toMatch(new RegExp(`^ARGS="--web\\.listen-address=${address.replace(/\./g, '\\.')}:9100"$`, 'm'));
    }
  });

  it('a changed flag restarts the exporter through the handler, then converges back', () => {
    const pidOf = () => sshExec('web02', 'systemctl show -p MainPID --value prometheus-node-exporter').trim();
    const before = pidOf();
    const changed = role('node_exporter', '--limit', 'web02', '-e', JSON.stringify({ node_exporter_extra_args: ['--collector.disable-defaults', '--collector.cpu'] }));
    ok(changed);
    expect(recap(changed).web02?.changed).toBe(2); // the file, then the restart handler
    expect(pidOf()).not.toBe(before);
    ok(role('node_exporter', '--limit', 'web02'));
  });

  it('a bad flag fails validation and leaves the running config as it was', () => {
    const before = sshExec('web02', 'sha256sum /etc/default/prometheus-node-exporter');
    const bad = role('node_exporter', '--limit', 'web02', '-e', JSON.stringify({ node_exporter_extra_args: ['--no-such-flag'] }));
    expect(bad.code).toBe(2);
    expect(sshExec('web02', 'sha256sum /etc/default/prometheus-node-exporter')).toBe(before);
    expect(sshExec('web02', 'systemctl is-active prometheus-node-exporter').trim()).toBe('active');
  });

  it('with ufw on, the monitoring host scrapes it and another guest cannot', async () => {
    ok(role('ufw'));
    // mon01 is the lab's monitoring host: allowed.
    expect(sshExec('mon01', `curl -s -m 5 http://${web01}:9100/metrics`)).toMatch(/^node_exporter_build_info\{/m);
    // lb01 is not a monitoring host: ufw drops the connection (curl's exit 28 = timeout, 7 = refused).
    const fromLb = sshExec('lb01', `curl -s -o /dev/null -m 3 http://${web01}:9100/metrics; echo $?`).trim();
    expect(['7', '28']).toContain(fromLb);
  });
});
