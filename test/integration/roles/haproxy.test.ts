// The haproxy role on lb01, Molecule's way: check mode, converge, idempotence, then verify with real
// clients from the control machine (curl, openssl s_client) and on the host (haproxy -c, the runtime
// API). Works whether or not certbot already replaced the bootstrap certificate, and whether or not the
// web hosts are converged yet (their health checks then mark the servers DOWN, which is right).

import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { expectIdempotent } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const lb = 'lb01';
const domain = 'www.foobar.com';
const role = (...extra: string[]) =>
  provision(['role', 'haproxy', '-i', labInventory, '--limit', lb, '--json', '--no-retry-file', ...extra]);

/** Runs a command line on the control machine; only loopback and the lab's addresses are contacted. */
function local(command: string): { code: number; out: string } {
  const res = spawnSync('bash', ['-c', command], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

const masterPid = () => sshExec(lb, 'systemctl show -p MainPID --value haproxy').trim();
const configSum = () => sshExec(lb, 'sha256sum /etc/haproxy/haproxy.cfg', { sudo: true }).split(' ')[0];

/** The `web` backend's servers and their state, read from HAProxy's runtime API (admin socket). */
function backendStates(): Record<string, string> {
  const script = [
    'import socket',
    's = socket.socket(socket.AF_UNIX); s.connect("/run/haproxy/admin.sock"); s.sendall(b"show stat\\n")',
    'print(b"".join(iter(lambda: s.recv(65536), b"")).decode())',
  ].join('\n');
  const csv = sshExec(lb, `python3 -c '${script}'`, { sudo: true });
  const states: Record<string, string> = {};
  for (const line of csv.split('\n')) {
    const [proxy, server, ...rest] = line.split(',');
    if (proxy === 'web' && server && server !== 'BACKEND' && server !== 'FRONTEND') states[server] = rest[15] ?? '';
  }
  return states;
}

describeLab('haproxy role on lb01', () => {
  it('check mode does not fail (on a fresh or a converged host)', () => {
    const run = role('--check');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it('converges', () => {
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(recap(run)[lb]?.failed).toBe(0);
  });

  it('a second run changes nothing, and neither does check mode', () => {
    expectIdempotent(role, [lb]);
  });

  it('the config passes haproxy -c and the service runs enabled', () => {
    const res = sshRun(lb, 'haproxy -c -f /etc/haproxy/haproxy.cfg', { sudo: true });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout + res.stderr).not.toMatch(/WARNING/);
    expect(sshExec(lb, 'systemctl is-active haproxy; systemctl is-enabled haproxy')).toBe('active\nenabled\n');
  });

  it('http answers 301 to https://www.foobar.com/, except ACME challenges', () => {
    const head = local(`curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' http://${labHosts.lb01}/`);
    expect(head.out).toBe(`301 https://${domain}/`);
    const path = local(`curl -sS -o /dev/null -w '%{redirect_url}' 'http://${labHosts.lb01}/a/b?c=1'`);
    expect(path.out).toBe(`https://${domain}/a/b?c=1`);
    // No certbot listening between requests: HAProxy's certbot backend answers 503, not a redirect.
    const acme = local(`curl -sS -o /dev/null -w '%{http_code}' http://${labHosts.lb01}/.well-known/acme-challenge/x`);
    expect(acme.out).toBe('503');
  });

  it('https serves a certificate for www.foobar.com (self-signed or certbot\'s) with HSTS', () => {
    const cert = local(
      `echo | openssl s_client -connect ${labHosts.lb01}:443 -servername ${domain} 2>/dev/null | openssl x509 -noout -subject`,
    );
    expect(cert.out).toMatch(new RegExp(`subject=CN = ${domain.replace(/\./g, '\\.')}`));
    const headers = local(`curl -skSI --resolve ${domain}:443:${labHosts.lb01} https://${domain}/`);
    expect(headers.out).toMatch(/^strict-transport-security: max-age=63072000/im);
    expect(sshExec(lb, 'stat -c %a /etc/haproxy/certs', { sudo: true }).trim()).toBe('700');
    expect(sshExec(lb, `stat -c %a /etc/haproxy/certs/${domain}.pem`, { sudo: true }).trim()).toBe('600');
  });

  it('the stats page listens on 127.0.0.1:8404 only', () => {
    expect(sshExec(lb, "ss -Hltn 'sport = :8404'", { sudo: true }).trim()).toMatch(/^LISTEN\s+\d+\s+\d+\s+127\.0\.0\.1:8404\s/);
    expect(sshExec(lb, "ss -Hltn 'sport = :8404' | wc -l").trim()).toBe('1');
    expect(sshExec(lb, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8404/stats")).toBe('200');
    expect(local(`curl -sS --max-time 2 http://${labHosts.lb01}:8404/stats`).code).not.toBe(0);
  });

  it('backend web balances over web01 and web02, UP exactly when their /health answers 200', () => {
    const cfg = sshExec(lb, 'cat /etc/haproxy/haproxy.cfg');
    expect(cfg).toMatch(/backend web\n\s+balance roundrobin\n\s+option httpchk GET \/health\n\s+http-check send hdr Host www\.foobar\.com\n\s+http-check expect status 200/);
    expect(cfg).toMatch(/default-server check inter 2s/);
    expect(cfg).toMatch(/server web01 192\.168\.56\.11:80\n\s+server web02 192\.168\.56\.12:80\n/);
    const states = backendStates();
    expect(Object.keys(states).sort()).toEqual(['web01', 'web02']);
    for (const web of ['web01', 'web02'] as const) {
      // The same probe as the health check, from lb01 (the web hosts' firewall admits only the lb).
      const health = sshExec(lb, `curl -s -o /dev/null -w '%{http_code}' --max-time 3 -H 'Host: ${domain}' http://${labHosts[web]}/health`);
      const expected = health === '200' ? 'UP' : 'DOWN';
      // A state change needs `rise 2`/`fall 3` checks 2 s apart: wait for it when the web roles just changed.
      let state = states[web];
      for (let i = 0; i < 10 && !state?.startsWith(expected); i++) {
        spawnSync('sleep', ['1']);
        state = backendStates()[web];
      }
      expect(state, `${web}: /health answered ${health}`).toMatch(new RegExp(`^${expected}`));
    }
  });

  it('a config change reloads HAProxy without a new master process (hitless)', () => {
    const before = masterPid();
    const changed = role('-e', 'haproxy_check_interval=3s');
    expect(changed.code, changed.stderr).toBe(0);
    expect(recap(changed)[lb]?.changed).toBe(2); // the template and the reload handler
    expect(sshExec(lb, 'grep -c "inter 3s" /etc/haproxy/haproxy.cfg').trim()).toBe('1');
    expect(masterPid()).toBe(before);
    const restored = role();
    expect(recap(restored)[lb]?.changed).toBe(2);
    expect(masterPid()).toBe(before);
  });

  it('a config that haproxy -c rejects is never installed', () => {
    const sum = configSum();
    const pid = masterPid();
    const bad = role('-e', 'haproxy_check_interval=soon');
    expect(bad.code).toBe(2);
    expect(configSum()).toBe(sum);
    expect(masterPid()).toBe(pid);
    expect(sshExec(lb, 'ls -A /etc/haproxy | grep -v -x -e certs -e errors -e haproxy.cfg || true').trim()).toBe('');
  });
});
