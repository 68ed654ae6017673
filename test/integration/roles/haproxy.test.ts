// The haproxy role on lb01 and lb02, Molecule's way: check mode, converge, idempotence, then verify
// with real clients from the control machine (curl, openssl s_client) and on the hosts (haproxy -c, the
// runtime API through socat). Both load balancers get the same configuration. Works whether or not
// certbot already replaced the bootstrap certificate. The backend tests need both web servers serving
// and converge them first when they are not; the health check test then stops one server's app and
// expects that server DOWN (and UP again once restarted), so its expectation never comes from /health.

import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { eventually, itConverges } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const lbs = ['lb01', 'lb02'] as const;
type Lb = (typeof lbs)[number];
const domain = 'www.foobar.com';
/** certbot_host (group_vars/lb.yaml): every HAProxy forwards ACME challenges to it. */
const certbotHost: Lb = 'lb01';
const role = (...extra: string[]) =>
  provision(['role', 'haproxy', '-i', labInventory, '--limit', 'lb', '--json', '--no-retry-file', ...extra]);

/** Runs a command line on the control machine; only loopback and the lab's addresses are contacted. */
function local(command: string): { code: number; out: string } {
  const res = spawnSync('bash', ['-c', command], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

const masterPid = (lb: Lb) => sshExec(lb, 'systemctl show -p MainPID --value haproxy').trim();
const configSum = (lb: Lb) => sshExec(lb, 'sha256sum /etc/haproxy/haproxy.cfg', { sudo: true }).split(' ')[0];
/** One command on HAProxy's runtime API (the admin socket), through socat as the deploy playbook does. */
const runtimeApi = (lb: Lb, command: string) => sshExec(lb, `echo '${command}' | socat stdio /run/haproxy/admin.sock`, { sudo: true });

/** The `web` backend's servers and their state, read from the runtime API (`show stat` CSV, field 18). */
function backendStates(lb: Lb): Record<string, string> {
  const states: Record<string, string> = {};
  for (const line of runtimeApi(lb, 'show stat').split('\n')) {
    const [proxy, server, ...rest] = line.split(',');
    if (proxy === 'web' && server && server !== 'BACKEND' && server !== 'FRONTEND') states[server] = rest[15] ?? '';
  }
  return states;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The backend tests need both web servers serving: converge the web servers' part of the site when
 * their /health does not answer 200 (a no-op on a converged lab). */
function convergeWebServers(): void {
  const healthy = (web: 'web01' | 'web02') =>
    sshExec('lb01', `curl -s -o /dev/null -w '%{http_code}' --max-time 3 -H 'Host: ${domain}' http://${labHosts[web]}/health`) === '200';
  if (healthy('web01') && healthy('web02')) return;
  const web = provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--limit', 'web', '--json', '--no-retry-file']);
  expect(web.code, web.stderr + web.stdout.slice(-2000)).toBe(0);
}

describeLab('haproxy role on lb01 and lb02', () => {
  itConverges(role, lbs);

  it('both get the same config; it passes haproxy -c and the service runs enabled', () => {
    // The same but for the metrics frontend's bind line: each host's own private address.
    const config = (lb: Lb) => sshExec(lb, 'cat /etc/haproxy/haproxy.cfg', { sudo: true });
    const bindLine = (lb: Lb) => `    bind ${labHosts[lb]}:8405\n`;
    for (const lb of lbs) expect(config(lb).split(bindLine(lb)).length, lb).toBe(2);
    expect(config('lb01').replace(bindLine('lb01'), '')).toBe(config('lb02').replace(bindLine('lb02'), ''));
    for (const lb of lbs) {
      const res = sshRun(lb, 'haproxy -c -f /etc/haproxy/haproxy.cfg', { sudo: true });
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(res.stdout + res.stderr).not.toMatch(/WARNING/);
      expect(sshExec(lb, 'systemctl is-active haproxy; systemctl is-enabled haproxy'), lb).toBe('active\nenabled\n');
    }
  });

  it('http answers 301 to https://www.foobar.com/ on both, except ACME challenges', () => {
    for (const lb of lbs) {
      const head = local(`curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' http://${labHosts[lb]}/`);
      expect(head.out, lb).toBe(`301 https://${domain}/`);
      const path = local(`curl -sS -o /dev/null -w '%{redirect_url}' 'http://${labHosts[lb]}/a/b?c=1'`);
      expect(path.out, lb).toBe(`https://${domain}/a/b?c=1`);
      // No certbot listening between requests: HAProxy's certbot backend answers 503, not a redirect.
      const acme = local(`curl -sS -o /dev/null -w '%{http_code}' http://${labHosts[lb]}/.well-known/acme-challenge/x`);
      expect(acme.out, lb).toBe('503');
    }
  });

  it('both forward ACME challenges to the certbot host\'s private address (through UFW)', async () => {
    // A stand-in for certbot's standalone server: the same address and port, serving one token.
    const token = `test-${Date.now()}`;
    const root = '/tmp/haproxy-test-acme';
    sshExec(
      certbotHost,
      `mkdir -p ${root}/.well-known/acme-challenge && echo ${token} > ${root}/.well-known/acme-challenge/${token} && ` +
        `cd ${root} && setsid -f timeout 60 python3 -m http.server 8888 --bind ${labHosts[certbotHost]} >/dev/null 2>&1 </dev/null`,
    );
    try {
      for (let i = 0; i < 20 && !sshExec(certbotHost, "ss -Hltn 'sport = :8888'").trim(); i++) await sleep(250);
      for (const lb of lbs) {
        const res = local(`curl -sS --max-time 5 http://${labHosts[lb]}/.well-known/acme-challenge/${token}`);
        expect(res.out.trim(), lb).toBe(token);
      }
    } finally {
      sshRun(certbotHost, `pkill -f 'http.server 8888 --bind' ; rm -rf ${root}`);
    }
  });

  it('https serves a certificate for www.foobar.com (self-signed or certbot\'s) with HSTS, on both', () => {
    for (const lb of lbs) {
      const cert = local(
        `echo | openssl s_client -connect ${labHosts[lb]}:443 -servername ${domain} 2>/dev/null | openssl x509 -noout -subject`,
      );
      expect(cert.out, lb).toMatch(new RegExp(`subject=CN = ${domain.replace(/\./g, '\\.')}`));
      const headers = local(`curl -skSI --resolve ${domain}:443:${labHosts[lb]} https://${domain}/`);
      expect(headers.out, lb).toMatch(/^strict-transport-security: max-age=63072000/im);
      expect(sshExec(lb, 'stat -c %a /etc/haproxy/certs', { sudo: true }).trim()).toBe('700');
      expect(sshExec(lb, `stat -c %a /etc/haproxy/certs/${domain}.pem`, { sudo: true }).trim()).toBe('600');
    }
  });

  it('the stats page listens on 127.0.0.1:8404 only', () => {
    for (const lb of lbs) {
      expect(sshExec(lb, "ss -Hltn 'sport = :8404'", { sudo: true }).trim()).toMatch(/^LISTEN\s+\d+\s+\d+\s+127\.0\.0\.1:8404\s/);
      expect(sshExec(lb, "ss -Hltn 'sport = :8404' | wc -l").trim()).toBe('1');
      expect(sshExec(lb, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8404/stats")).toBe('200');
      expect(local(`curl -sS --max-time 2 http://${labHosts[lb]}:8404/stats`).code, lb).not.toBe(0);
    }
  });

  it('the Prometheus exporter (PROMEX) listens on the private address:8405 only; mon01 reads both servers\' state', () => {
    // UFW opens 8405 to the monitoring hosts (group_vars/lb.yaml): converge the lb hosts' firewall.
    const ufw = provision(['role', 'ufw', '-i', labInventory, '--limit', 'lb', '--json', '--no-retry-file']);
    expect(ufw.code, ufw.stderr + ufw.stdout.slice(-2000)).toBe(0);
    for (const lb of lbs) {
      const listeners = sshExec(lb, "ss -Hltn 'sport = :8405'").trim().split('\n').map((l) => l.split(/\s+/)[3]);
      expect(listeners, lb).toEqual([`${labHosts[lb]}:8405`]);
      // mon01, the monitoring host, scrapes it like Prometheus does.
      const page = sshExec('mon01', `curl -sS --max-time 10 http://${labHosts[lb]}:8405/metrics`);
      // haproxy_server_status: one line per state, 1 on the current one; whatever the state, both servers are there.
      for (const web of ['web01', 'web02']) {
        expect(page, `${lb} ${web}`).toMatch(new RegExp(`^haproxy_server_status\\{proxy="web",server="${web}",state="(UP|DOWN|MAINT|NOLB|DRAIN)"\\} 1$`, 'm'));
      }
      expect(page, lb).toMatch(/^haproxy_frontend_http_requests_total\{proxy="https"\} \d+$/m);
      expect(page, lb).toMatch(/^haproxy_backend_http_responses_total\{proxy="web",code="5xx"\} \d+$/m);
      // Only /metrics is served there (no backend behind the frontend: anything else gets 503).
      expect(sshExec('mon01', `curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://${labHosts[lb]}:8405/stats`), lb).toBe('503');
      // A host that is not a monitoring host (web02) is kept out by UFW (curl: 28 timeout, 7 refused).
      const fromWeb = sshExec('web02', `curl -s -o /dev/null -m 3 http://${labHosts[lb]}:8405/metrics; echo $?`).trim();
      expect(['7', '28'], lb).toContain(fromWeb);
    }
  });

  it('backend web balances over web01 and web02; a server whose app stops is marked DOWN, then UP again', async () => {
    const cfg = sshExec('lb01', 'cat /etc/haproxy/haproxy.cfg');
    expect(cfg).toMatch(/backend web\n\s+balance roundrobin\n\s+option httpchk GET \/health\n\s+http-check send hdr Host www\.foobar\.com\n\s+http-check expect status 200/);
    expect(cfg).toMatch(/server web01 192\.168\.56\.11:80\n\s+server web02 192\.168\.56\.12:80\n/);
    convergeWebServers();
    // A state change takes `rise 2`/`fall 2` checks 1 s apart (plus the check timeout): wait up to 15 s.
    const stateIs = (lb: Lb, web: string, state: string) => eventually(() => backendStates(lb)[web] === state, 15, 1000);
    for (const lb of lbs) {
      expect(Object.keys(backendStates(lb)).sort(), lb).toEqual(['web01', 'web02']);
      for (const web of ['web01', 'web02']) expect(await stateIs(lb, web, 'UP'), `${lb} ${web}: ${JSON.stringify(backendStates(lb))}`).toBe(true);
    }
    // web02's application stops: nginx answers /health with 502, so both load balancers take web02 out.
    try {
      sshExec('web02', 'systemctl stop foobar', { sudo: true });
      for (const lb of lbs) {
        expect(await stateIs(lb, 'web02', 'DOWN'), `${lb} web02: ${JSON.stringify(backendStates(lb))}`).toBe(true);
        expect(backendStates(lb).web01, lb).toBe('UP');
      }
    } finally {
      sshRun('web02', 'systemctl start foobar', { sudo: true });
    }
    for (const lb of lbs) expect(await stateIs(lb, 'web02', 'UP'), `${lb} web02: ${JSON.stringify(backendStates(lb))}`).toBe(true);
  });

  it('the runtime API drains a server and puts it back (socat, as playbooks/deploy.yaml does)', () => {
    const lb: Lb = 'lb01';
    expect(sshExec(lb, 'command -v socat').trim()).toBe('/usr/bin/socat');
    /** web01's srv_admin_state in `show servers state` (8: drained by the runtime API, 0: ready). */
    const adminState = () =>
      runtimeApi(lb, 'show servers state web')
        .split('\n')
        .map((l) => l.split(' '))
        .find((f) => f[3] === 'web01')?.[6];
    try {
      expect(runtimeApi(lb, 'set server web/web01 state drain').trim()).toBe('');
      expect(adminState()).toBe('8');
    } finally {
      runtimeApi(lb, 'set server web/web01 state ready');
    }
    expect(adminState()).toBe('0');
  });

  it('a server whose connections fail costs no request: GET and POST go to the other server', async () => {
    const lb: Lb = 'lb01';
    const bothUp = () => {
      const states = backendStates(lb);
      return states.web01 === 'UP' && states.web02 === 'UP';
    };
    if (!bothUp()) convergeWebServers();
    expect(await eventually(bothUp, 30, 1000), `web01 and web02 UP on ${lb}: ${JSON.stringify(backendStates(lb))}`).toBe(true);
    // What web02 answers itself, asked from the lb (the reference: whatever the app's state, a retried
    // request must get web02's answer, never HAProxy's 503 or 502).
    const direct = (method: string) =>
      sshExec(lb, `curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X ${method} -H 'Host: ${domain}' http://${labHosts.web02}/health`);
    const expected = { GET: direct('GET'), POST: direct('POST') };
    // web01 refuses every connection from lb01 (a TCP reset, as from a host whose nginx is down).
    const rule = `OUTPUT -p tcp -d ${labHosts.web01} --dport 80 -j REJECT --reject-with tcp-reset`;
    const through = (method: string) =>
      local(`curl -sk -o /dev/null -w '%{http_code}' --max-time 10 -X ${method} --resolve ${domain}:443:${labHosts[lb]} https://${domain}/health`).out;
    /** Requests web01 failed and HAProxy sent to another server (`show stat` field 17, wredis). */
    const redispatched = () => Number(runtimeApi(lb, 'show stat').split('\n').find((l) => l.startsWith('web,web01,'))?.split(',')[16]);
    const redispatchedBefore = redispatched();
    const answers: string[] = [];
    try {
      sshExec(lb, `iptables -I ${rule}`, { sudo: true });
      // At once, before the health checks notice: round robin sends every other request to web01.
      for (let i = 0; i < 10; i++) answers.push(`GET ${through('GET')}`, `POST ${through('POST')}`);
    } finally {
      sshRun(lb, `iptables -D ${rule}`, { sudo: true });
    }
    const wrong = answers.filter((a) => a !== `GET ${expected.GET}` && a !== `POST ${expected.POST}`);
    console.log(`haproxy: web01 refusing connections: ${answers.length - wrong.length}/${answers.length} requests answered by web02`);
    expect(wrong).toEqual([]);
    // The failure did happen (requests went to web01 and were redispatched), it was not avoided.
    expect(redispatched()).toBeGreaterThan(redispatchedBefore);
  });

  it('a config change reloads HAProxy without a new master process (hitless)', () => {
    const before = lbs.map(masterPid);
    const changed = role('-e', 'haproxy_check_interval=3s');
    expect(changed.code, changed.stderr).toBe(0);
    for (const lb of lbs) {
      expect(recap(changed)[lb]?.changed, lb).toBe(2); // the template and the reload handler
      expect(sshExec(lb, 'grep -c " inter 3s" /etc/haproxy/haproxy.cfg').trim()).toBe('1');
    }
    expect(lbs.map(masterPid)).toEqual(before);
    const restored = role();
    for (const lb of lbs) expect(recap(restored)[lb]?.changed, lb).toBe(2);
    expect(lbs.map(masterPid)).toEqual(before);
  });

  it('a config that haproxy -c rejects is never installed', () => {
    const sums = lbs.map(configSum);
    const pids = lbs.map(masterPid);
    const bad = role('-e', 'haproxy_check_interval=soon');
    expect(bad.code).toBe(2);
    expect(lbs.map(configSum)).toEqual(sums);
    expect(lbs.map(masterPid)).toEqual(pids);
    for (const lb of lbs) {
      expect(sshExec(lb, 'ls -A /etc/haproxy | grep -v -x -e certs -e errors -e haproxy.cfg || true').trim(), lb).toBe('');
    }
  });
});
