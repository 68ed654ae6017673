// The keepalived role on lb01 and lb02, Molecule's way: check mode, converge, idempotence, then verify
// with real probes: which guest has the virtual address (`ip -4 addr` over ssh), and whether it answers
// (curl from the control machine: HAProxy's http→https 301 on port 80, so the web hosts' state does not
// matter). Faults are injected on the pair and timed: HAProxy stopped on the holder, the holder dropped
// off the network (its lab interface down for a few seconds); the address must answer from the other
// load balancer within 3 s, and stay there when the first comes back (nopreempt, roles/keepalived/README.md).
// Every fault is undone in `finally`, and the last test converges the lb play with changed=0.

import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { itConverges } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const lbs = ['lb01', 'lb02'] as const;
type Lb = (typeof lbs)[number];
const vip = '192.168.56.100';
const domain = 'www.foobar.com';
/** The goal for a lost load balancer. */
const failoverGoalSeconds = 3;
/** Where a guest notes when its lab interface went down. */
const downMark = '/run/keepalived-test-link-down';

const roleOn = (limit: string, ...extra: string[]) =>
  provision(['role', 'keepalived', '-i', labInventory, '--limit', limit, '--json', '--no-retry-file', ...extra]);
const role = (...extra: string[]) => roleOn('lb', ...extra);
const lbPlay = (...extra: string[]) =>
  provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--limit', 'lb', '--json', '--no-retry-file', ...extra]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const other = (lb: Lb): Lb => (lb === 'lb01' ? 'lb02' : 'lb01');

/** The lb hosts that have the virtual address on an interface, read on each guest. */
function holders(): Lb[] {
  return lbs.filter((lb) => sshExec(lb, 'ip -4 -o addr show').includes(` ${vip}/`));
}

/** HAProxy behind the virtual address answers port 80 with its redirect (a real client, from the control machine). */
function vipAnswers(): boolean {
  const res = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '0.5', `http://${vip}/`], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  return res.stdout === '301';
}

/** Seconds until `probe` holds (polled every 50 ms), or Infinity after `limitMs`. */
async function secondsUntil(start: number, probe: () => boolean, limitMs: number): Promise<number> {
  while (Date.now() - start < limitMs) {
    if (probe()) return (Date.now() - start) / 1000;
    await sleep(50);
  }
  return Infinity;
}

/** The one holder, once the pair has settled (an election takes about 2 s after a start). */
async function settledHolder(): Promise<Lb> {
  let current: Lb[] = [];
  for (let i = 0; i < 20; i++) {
    current = holders();
    if (current.length === 1) return current[0]!;
    await sleep(500);
  }
  throw new Error(`expected exactly one lb to hold ${vip}, found: ${current.join(', ') || 'none'}`);
}

/** Whether ssh gets in (false while the host's lab interface is down). */
function reachable(lb: Lb): boolean {
  try {
    return sshRun(lb, 'true', { timeoutMs: 3_000 }).code === 0;
  } catch {
    return false; // ssh killed at the timeout
  }
}

async function waitReachable(lb: Lb): Promise<void> {
  for (let i = 0; i < 40 && !reachable(lb); i++) await sleep(500);
}

/** HAProxy running and both lab interfaces up on the pair (what every fault below undoes). */
async function restorePair(): Promise<void> {
  // A lab interface brought down by a test comes back by itself (the command sleeps, then ups it).
  for (const lb of lbs) await waitReachable(lb);
  for (const lb of lbs) sshRun(lb, 'systemctl start haproxy', { sudo: true });
}

describeLab('keepalived role on lb01 and lb02', () => {
  afterAll(restorePair);

  itConverges(role, lbs);

  it('keepalived runs enabled, its config passes keepalived -t and names the peer as unicast peer', () => {
    for (const lb of lbs) {
      expect(sshExec(lb, 'systemctl is-active keepalived; systemctl is-enabled keepalived'), lb).toBe('active\nenabled\n');
      const check = sshRun(lb, 'keepalived -t -f /etc/keepalived/keepalived.conf', { sudo: true });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const conf = sshExec(lb, 'cat /etc/keepalived/keepalived.conf');
      expect(conf).toMatch(new RegExp(`unicast_src_ip ${labHosts[lb].replace(/\./g, '\\.')}\\n`));
      expect(conf).toMatch(new RegExp(`unicast_peer \\{\\n\\s+${labHosts[other(lb)].replace(/\./g, '\\.')}\\n\\s+\\}`));
      expect(conf).toMatch(/virtual_ipaddress \{\n\s+192\.168\.56\.100\/24 dev eth1\n/);
    }
  });

  it('UFW admits VRRP from the other load balancer only', () => {
    for (const lb of lbs) {
      const vrrp = sshExec(lb, 'ufw status', { sudo: true })
        .split('\n')
        .filter((l) => /\bvrrp\b/i.test(l));
      expect(vrrp.map((l) => l.replace(/\s+/g, ' ').trim()), lb).toEqual([
        `Anywhere ALLOW ${labHosts[other(lb)]}/vrrp # provision: vrrp between the load balancers`,
      ]);
    }
  });

  it('exactly one load balancer holds the virtual address, and it answers http and https', async () => {
    const holder = await settledHolder();
    console.log(`keepalived: ${vip} is on ${holder}`);
    expect(vipAnswers()).toBe(true);
    const https = spawnSync(
      'curl',
      ['-skS', '-o', '/dev/null', '-D', '-', '--max-time', '5', '--resolve', `${domain}:443:${vip}`, `https://${domain}/`],
      { encoding: 'utf8' },
    );
    expect(https.status, https.stderr).toBe(0);
    // HSTS on every answer, HAProxy's own 503 included: HAProxy answered, whatever the web hosts do.
    expect(https.stdout).toMatch(/^strict-transport-security: max-age=\d+/im);
  });

  it(`HAProxy stopped on the holder: the address answers from the other lb within ${failoverGoalSeconds} s, and stays there when HAProxy is back (nopreempt)`, async () => {
    const holder = await settledHolder();
    const backup = other(holder);
    try {
      // The guests share the control machine's clock (containers; VMs keep it with NTP): the fault's
      // moment is taken on the guest, just before HAProxy stops.
      const start = Math.round(Number(sshExec(holder, 'date +%s.%N; systemctl stop haproxy', { sudo: true }).trim()) * 1000);
      expect(start).toBeGreaterThan(Date.now() - 10_000);
      const seconds = await secondsUntil(start, vipAnswers, 15_000);
      console.log(`keepalived: HAProxy stopped on ${holder}: ${vip} answered from ${backup} after ${seconds.toFixed(2)} s`);
      expect(holders()).toEqual([backup]);
      expect(seconds).toBeLessThan(failoverGoalSeconds);

      sshExec(holder, 'systemctl start haproxy', { sudo: true });
      // rise 2 at 1 s intervals, then a few adverts: long enough for a preemption to have happened.
      await sleep(5_000);
      expect(holders(), `${holder} took ${vip} back`).toEqual([backup]);
      expect(vipAnswers()).toBe(true);
      expect(sshExec(holder, 'journalctl -u keepalived --since "-10s" -o cat --no-pager', { sudo: true })).toMatch(/Entering BACKUP STATE/i);
    } finally {
      sshRun(holder, 'systemctl start haproxy', { sudo: true });
    }
  });

  it(`the holder drops off the network: the address answers from the other lb within ${failoverGoalSeconds} s, and is not taken back`, async () => {
    const holder = await settledHolder();
    const backup = other(holder);
    try {
      const issued = Date.now();
      // Detached, so that it comes back by itself: the ssh session goes down with the interface. The
      // moment the interface goes down is written on the guest (same clock as the control machine's).
      sshExec(
        holder,
        `setsid -f sh -c "date +%s.%N > ${downMark}; ip link set eth1 down; sleep 8; ip link set eth1 up" >/dev/null 2>&1 </dev/null`,
        { sudo: true },
      );
      // Until the interface is down the holder may still answer: first a failure, then an answer.
      const lost = await secondsUntil(issued, () => !vipAnswers(), 5_000);
      expect(lost, `${vip} never stopped answering from ${holder}`).toBeLessThan(5);
      const answered = (await secondsUntil(issued, vipAnswers, 15_000)) * 1000 + issued;
      expect(sshExec(backup, 'ip -4 -o addr show')).toContain(` ${vip}/`);
      await waitReachable(holder);
      const down = Math.round(Number(sshExec(holder, `cat ${downMark}`).trim()) * 1000);
      expect(down).toBeGreaterThanOrEqual(issued - 1_000);
      const seconds = (answered - down) / 1000;
      console.log(`keepalived: ${holder} off the network: ${vip} answered from ${backup} after ${seconds.toFixed(2)} s`);
      expect(seconds).toBeLessThan(failoverGoalSeconds);
      // The old holder is back (about 8 s after the fault): it stays backup.
      await sleep(4_000);
      expect(holders(), `${holder} took ${vip} back`).toEqual([backup]);
      expect(vipAnswers()).toBe(true);
    } finally {
      await restorePair();
      sshRun(holder, `rm -f ${downMark}`, { sudo: true });
    }
  });

  it('a config change reloads keepalived: same process, and the address does not move', async () => {
    const holder = await settledHolder();
    const pid = () => sshExec(holder, 'systemctl show -p MainPID --value keepalived').trim();
    const before = pid();
    try {
      const changed = role('-e', 'keepalived_check_rise=3');
      expect(changed.code, changed.stderr).toBe(0);
      expect(recap(changed)[holder]?.changed).toBe(2); // the template and the reload handler
      await sleep(3_000);
      expect(pid()).toBe(before);
      expect(holders()).toEqual([holder]);
    } finally {
      const restored = role();
      expect(restored.code, restored.stderr).toBe(0);
    }
    expect(pid()).toBe(before);
    expect(holders()).toEqual([holder]);
  });

  it('a config that keepalived -t rejects is never installed', () => {
    const sum = () => sshExec('lb01', 'sha256sum /etc/keepalived/keepalived.conf').split(' ')[0];
    const before = sum();
    const pid = sshExec('lb01', 'systemctl show -p MainPID --value keepalived').trim();
    const bad = roleOn('lb01', '-e', 'keepalived_virtual_router_id=300');
    expect(bad.code).toBe(2);
    expect(sum()).toBe(before);
    expect(sshExec('lb01', 'systemctl show -p MainPID --value keepalived').trim()).toBe(pid);
  });

  it('after the faults the load balancers converge with changed=0 (haproxy, keepalived, certbot)', async () => {
    await restorePair();
    const run = lbPlay();
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    for (const lb of lbs) expect(recap(run)[lb]?.changed, lb).toBe(0);
    await settledHolder();
  });
});
