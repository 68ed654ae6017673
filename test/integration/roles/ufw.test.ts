// The ufw role on the lab, Molecule's sequence: converge, idempotence, check mode, then verify with
// the guests' own `ufw status` and real connections between guests (never from this machine to a
// web host). It leaves the hosts converged.

import { expect, it } from 'vitest';
import { provision, recap, type CliRun } from '../helpers/cli.js';
import { describeLab, labHostNames, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const role = (...extra: string[]): CliRun => provision(['role', 'ufw', '-i', labInventory, '--json', ...extra]);
const ok = (run: CliRun): void => expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
const { lb01, lb02, web01, web02, mon01 } = labHosts;
const monitoring = '192.168.56.14'; // mon01, the lab's monitoring_hosts
const viewer = '192.168.56.1'; // the control machine, the lab's monitoring_viewers

/** The first rule stays first (it must be SSH); the others in a stable order. */
const sshFirst = (rules: string[]) => [...rules.slice(0, 1), ...rules.slice(1).sort()];

/** `ufw status` rule lines (To, Action, From), comments dropped: SSH first, then the others sorted
 * (a rule added again later is appended, and the order of allow rules does not matter). */
function ufwRules(host: string): string[] {
  const out = sshExec(host, 'sudo ufw status verbose');
  const lines = out.split('\n');
  const rules = lines
    .slice(lines.findIndex((l) => l.startsWith('--')) + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.replace(/\s+#.*$/, '').split(/\s{2,}/).join(' | '));
  return sshFirst(rules);
}

const any = (port: number) => [`${port}/tcp | ALLOW IN | Anywhere`];
const from = (port: number, address: string) => [`${port}/tcp | ALLOW IN | ${address}`];
const v6 = (port: number) => [`${port}/tcp (v6) | ALLOW IN | Anywhere (v6)`];
const vrrp = (address: string) => [`Anywhere | ALLOW IN | ${address}/vrrp`];
const expected: Record<string, string[]> = {
  lb01: sshFirst([...any(22), ...any(80), ...any(443), ...from(9100, monitoring), ...from(8405, monitoring), ...vrrp(lb02), ...from(8888, lb02), ...v6(22), ...v6(80), ...v6(443)]),
  lb02: sshFirst([...any(22), ...any(80), ...any(443), ...from(9100, monitoring), ...from(8405, monitoring), ...vrrp(lb01), ...v6(22), ...v6(80), ...v6(443)]),
  web01: sshFirst([...any(22), ...from(80, lb01), ...from(80, lb02), ...from(3306, web02), ...from(3306, mon01), ...from(9100, monitoring), ...from(9104, monitoring), ...v6(22)]),
  web02: sshFirst([...any(22), ...from(80, lb01), ...from(80, lb02), ...from(3306, web01), ...from(3306, mon01), ...from(9100, monitoring), ...from(9104, monitoring), ...v6(22)]),
  mon01: sshFirst([...any(22), ...from(9100, monitoring), ...from(9090, viewer), ...from(9093, viewer), ...v6(22)]),
};

/** TCP connect from inside a guest (bash's /dev/tcp: no nc needed); ufw drops, so a timeout is "closed". */
function reachable(fromHost: string, address: string, port: number): boolean {
  return sshExec(fromHost, `timeout 3 bash -c '</dev/tcp/${address}/${port}' 2>/dev/null && echo open || echo closed`).trim() === 'open';
}

describeLab('role ufw', () => {
  it('converges on every lab host', () => {
    const run = role();
    ok(run);
    expect(Object.keys(recap(run)).sort()).toEqual([...labHostNames].sort());
  });

  it('a second run changes nothing on any host', () => {
    const run = role();
    ok(run);
    for (const [host, counts] of Object.entries(recap(run))) expect(counts.changed, host).toBe(0);
  });

  it('check mode on the converged hosts predicts no change', () => {
    const run = role('--check', '--diff');
    ok(run);
    for (const [host, counts] of Object.entries(recap(run))) expect(counts.changed, host).toBe(0);
  });

  it('each host denies incoming by default and has exactly its rules, SSH first', () => {
    for (const host of labHostNames) {
      const status = sshExec(host, 'sudo ufw status verbose');
      expect(status, host).toMatch(/^Status: active$/m);
      expect(status, host).toMatch(/^Default: deny \(incoming\), allow \(outgoing\)/m);
      expect(status, host).toMatch(/^22\/tcp\s+ALLOW IN\s+Anywhere\s+# provision: ssh$/m);
      expect(ufwRules(host), host).toEqual(expected[host]);
    }
  });

  it('a new ssh connection still gets in after enabling', () => {
    for (const host of labHostNames) expect(sshRun(host, 'echo in').stdout.trim(), host).toBe('in');
  });

  it('a rule dropped from ufw_rules is deleted from the host, and comes back with it', () => {
    // web01's rules without the MariaDB one (same comments as group_vars/web.yaml).
    const fewer = {
      ufw_rules: [
        { port: 80, proto: 'tcp', from: [lb01, lb02], comment: 'nginx, from the load balancer only' },
        { port: 9100, proto: 'tcp', from: [monitoring], comment: 'node_exporter' },
        { port: 9104, proto: 'tcp', from: [monitoring], comment: 'mysqld_exporter' },
      ],
    };
    const dropped = role('--limit', 'web01', '-e', JSON.stringify(fewer));
    ok(dropped);
    expect(recap(dropped).web01?.changed).toBe(1);
    expect(ufwRules('web01')).toEqual(expected.web01!.filter((r) => !r.startsWith('3306/')));

    const back = role('--limit', 'web01');
    ok(back);
    expect(recap(back).web01?.changed).toBe(1);
    expect(ufwRules('web01')).toEqual(expected.web01);
  });

  it('port 80 on web01 answers lb01 but not web02', () => {
    // Nginx may not be there yet: a throwaway listener on web01's address while the test runs.
    const busy = sshExec('web01', `ss -Hltn 'sport = :80'`).trim() !== '';
    if (!busy) {
      sshExec('web01', `systemd-run --unit=provision-it-http80 --collect python3 -m http.server 80 --bind ${web01}`, { sudo: true });
      sshExec('web01', `for i in $(seq 50); do ss -Hltn 'sport = :80' | grep -q . && break; sleep 0.1; done`);
    }
    try {
      expect(reachable('lb01', web01, 80)).toBe(true);
      expect(reachable('web02', web01, 80)).toBe(false);
      // The same listener port is closed to web02 but SSH is open to it.
      expect(reachable('web02', web01, 22)).toBe(true);
    } finally {
      if (!busy) sshExec('web01', 'systemctl stop provision-it-http80', { sudo: true });
    }
  });
});
