// The whole site, Molecule's way: converge site.yaml on the lab's hosts, idempotence (a second run
// changes nothing), then verify www.foobar.com end to end with real clients from the control machine
// (the lab's client), through the site's virtual address: TLS from the lab's ACME server, http→https,
// round robin over both web servers, one session across them, writes on the primary read back from the
// replica, the firewall.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { provision, recap } from './helpers/cli.js';
import { describeLab, labHostNames, labHosts, labInventory, sshExec } from './helpers/lab.js';

const LB = '192.168.56.100'; // site_vip: held by keepalived on lb01 or lb02
const DOMAIN = 'www.foobar.com';
const site = ['run', 'playbooks/site.yaml', '-i', labInventory, '--json', '--no-retry-file'];

function curl(args: string[]): { code: number; out: string } {
  const res = spawnSync('curl', ['-sS', '--max-time', '10', ...args], { encoding: 'utf8' });
  return { code: res.status ?? -1, out: res.stdout + res.stderr };
}

describeLab('the whole site', () => {
  let tmp = '';
  let caFile = '';
  const https = (path: string, extra: string[] = []) =>
    curl(['--resolve', `${DOMAIN}:443:${LB}`, '--cacert', caFile, ...extra, `https://${DOMAIN}${path}`]);

  // Converge once for every check below, so that each of them stands alone.
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'provision-stack-'));
    caFile = join(tmp, 'pebble-root.pem');
    const first = provision(site);
    expect(first.code, first.stderr + first.stdout.slice(-3000)).toBe(0);
    // Pebble's root CA (its management API listens on loopback only).
    const root = curl(['-k', 'https://127.0.0.1:15000/roots/0']);
    expect(root.code, root.out).toBe(0);
    writeFileSync(caFile, root.out);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a second run changes nothing', () => {
    const second = provision(site);
    expect(second.code, second.stderr).toBe(0);
    for (const host of labHostNames) expect(recap(second)[host]?.changed, host).toBe(0);
  });

  it('--check --diff on the converged site predicts no change', () => {
    const check = provision([...site, '--check', '--diff']);
    expect(check.code, check.stderr).toBe(0);
    for (const host of labHostNames) expect(recap(check)[host]?.changed, host).toBe(0);
  });

  it('serves www.foobar.com over TLS with a certificate from the ACME server', () => {
    const cert = spawnSync('bash', ['-c', `openssl s_client -connect ${LB}:443 -servername ${DOMAIN} </dev/null 2>/dev/null | openssl x509 -noout -issuer -ext subjectAltName`], { encoding: 'utf8' });
    expect(cert.stdout).toMatch(/issuer=.*Pebble Intermediate CA/);
    expect(cert.stdout).toContain(`DNS:${DOMAIN}`);
    const health = https('/health', ['-w', '\\n%{http_code}']);
    expect(health.code, health.out).toBe(0);
    expect(health.out.trim().split('\n').at(-1)).toBe('200');
  });

  it('redirects http to https', () => {
    const res = curl(['-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '-H', `Host: ${DOMAIN}`, `http://${LB}/`]);
    expect(res.out).toMatch(new RegExp(`^301 https://${DOMAIN.replace(/\./g, '\\.')}/`));
  });

  it('balances round robin over both web servers', () => {
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = https('/health');
      served.add(String((JSON.parse(res.out) as { host?: string }).host));
    }
    expect([...served].sort()).toEqual(['web01', 'web02']);
  });

  it('one session across both web servers (a cookie signed with the key they share)', () => {
    const jar = join(tmp, 'cookies');
    const seen = [1, 2, 3, 4].map(() => JSON.parse(https('/session', ['-b', jar, '-c', jar]).out) as { host: string; started_on: string; visits: number });
    expect(seen.map((s) => s.visits)).toEqual([1, 2, 3, 4]);
    expect(new Set(seen.map((s) => s.host))).toEqual(new Set(['web01', 'web02']));
    expect(new Set(seen.map((s) => s.started_on)).size).toBe(1);
  });

  it('writes go to the primary and are read back from the replica', async () => {
    const text = `stack-test-${Date.now()}`;
    const post = https('/messages', ['-o', '/dev/null', '-w', '%{http_code}', '--data-urlencode', `text=${text}`]);
    expect(post.out).toBe('303');
    let seen = false;
    // Up to 60 s: replication may be reconnecting (mysql_net_timeout + mysql_connect_retry).
    for (let i = 0; i < 120 && !seen; i++) {
      seen = https('/api/messages').out.includes(text);
      if (!seen) await new Promise((r) => setTimeout(r, 500));
    }
    expect(seen).toBe(true);
    const status = sshExec('web02', 'sudo mysql -e "SHOW REPLICA STATUS\\G"');
    expect(status).toMatch(/Slave_IO_Running: Yes/);
    expect(status).toMatch(/Slave_SQL_Running: Yes/);
  });

  it('every host denies incoming by default and exports node metrics to the monitoring host only', () => {
    for (const host of labHostNames) {
      expect(sshExec(host, 'sudo ufw status verbose'), host).toMatch(/Status: active[\s\S]*Default: deny \(incoming\)/);
      const address = labHosts[host];
      // mon01 is the lab's monitoring host.
      expect(sshExec('mon01', `curl -s --max-time 10 http://${address}:9100/metrics`), host).toContain('node_exporter_build_info');
    }
    // web hosts' nginx answers the load balancer, not the other web server.
    expect(sshExec('lb01', 'curl -s -o /dev/null -w "%{http_code}" --max-time 5 http://192.168.56.11/health')).toBe('200');
    expect(sshExec('web02', 'curl -s -o /dev/null -w "%{http_code}" --max-time 3 http://192.168.56.11/health; true')).not.toBe('200');
  });
});
