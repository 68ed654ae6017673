// The nginx role, Molecule's way: the roles it fronts first (mysql, app), then converge Nginx on both web
// servers, idempotence, check mode, and verify from the load balancer (the only client UFW lets in):
// the app through the proxy, static files from Nginx itself, the listening sockets, and a broken site
// that fails validation without touching the live one.

import { expect, it } from 'vitest';
import { recap, taskResults, type CliRun } from '../helpers/cli.js';
import { eventually, expectNoChange, runRole } from '../helpers/molecule.js';
import { describeLab, labHosts, sshExec } from '../helpers/lab.js';

const WEB = ['web01', 'web02'] as const;
const SITE = '/etc/nginx/sites-available/foobar';

const role = (name: string, limit: string, ...extra: string[]): CliRun => runRole(name, '--limit', limit, ...extra);

/** curl on lb01 (the load balancer): web hosts answer port 80 to it only. */
const fromLb = (args: string) => sshExec('lb01', `curl -s --max-time 10 ${args}`);

describeLab('nginx role', () => {
  it('--check on a host without nginx (lb01) predicts changes, fails nothing, installs nothing', () => {
    const run = role('nginx', 'lb01', '--check');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(recap(run).lb01).toMatchObject({ failed: 0 });
    expect(recap(run).lb01?.changed).toBeGreaterThan(3);
    expect(sshExec('lb01', "dpkg-query -W -f='${Status}' nginx 2>/dev/null; true")).not.toContain('ok installed');
  });

  it('mysql and app converge first', () => {
    for (const name of ['mysql', 'app']) {
      const run = role(name, 'web');
      expect(run.code, `${name}: ${run.stderr}${run.stdout.slice(-2000)}`).toBe(0);
    }
  });

  it('converges', () => {
    const run = role('nginx', 'web');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it('a second run changes nothing', () => {
    expectNoChange(role('nginx', 'web'), WEB);
  });

  it('--check --diff on converged hosts predicts no change', () => {
    expectNoChange(role('nginx', 'web', '--check', '--diff'), WEB);
  });

  it('listens on the private address :80 only; the app on 127.0.0.1:8000 only', () => {
    for (const host of WEB) {
      const listening = (port: number) =>
        sshExec(host, `ss -Hltn 'sport = :${port}'`).trim().split('\n').map((l) => l.split(/\s+/)[3]);
      expect(listening(80), host).toEqual([`${labHosts[host]}:80`]);
      expect(listening(8000), host).toEqual(['127.0.0.1:8000']);
      // Nobody reaches the app but Nginx (UFW may drop the packets: do not wait long for them).
      expect(fromLb(`--connect-timeout 2 -o /dev/null -w '%{http_code}' http://${labHosts[host]}:8000/health; true`), host).toBe('000');
    }
  });

  it('proxies /health to the app: 200, both databases ok, no version in Server', async () => {
    for (const host of WEB) {
      const url = `http://${labHosts[host]}/health`;
      expect(await eventually(() => fromLb(`-o /dev/null -w '%{http_code}' ${url}`) === '200'), host).toBe(true);
      expect(JSON.parse(fromLb(url)), host).toMatchObject({ status: 'ok', host, primary: 'ok', replica: 'ok' });
      expect(fromLb(`-D - -o /dev/null ${url}`), host).toMatch(/^Server: nginx\r?$/m);
    }
  });

  it('a message posted to web01 is listed by web02 (written on the primary, read from the replica)', async () => {
    const text = `nginx-test-${Date.now()}`;
    const post = fromLb(`-o /dev/null -w '%{http_code}' --data-urlencode text=${text} http://${labHosts.web01}/messages`);
    expect(post).toBe('303');
    expect(await eventually(() => fromLb(`http://${labHosts.web02}/api/messages`).includes(text))).toBe(true);
  });

  it('serves /static/ itself (the app has no static route)', () => {
    for (const host of WEB) {
      const headers = fromLb(`-D - -o /dev/null http://${labHosts[host]}/static/style.css`);
      expect(headers, host).toMatch(/^HTTP\/1\.1 200/);
      expect(headers, host).toMatch(/^Server: nginx\r?$/m);
      expect(headers, host).toMatch(/^Content-Type: text\/css/m);
      // Nginx's file handler (ETag, ranges); the app behind it would answer 404.
      expect(headers, host).toMatch(/^ETag: /m);
      expect(headers, host).toMatch(/^Accept-Ranges: bytes/m);
      expect(sshExec(host, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8000/static/style.css"), host).toBe('404');
      expect(fromLb(`http://${labHosts[host]}/static/style.css`), host).toBe(sshExec(host, 'cat /srv/foobar/current/static/style.css'));
    }
  });

  it('a broken site fails validation, leaves the live site untouched and nginx serving', () => {
    const sum = () => sshExec('web01', `sha256sum ${SITE}`);
    const master = () => sshExec('web01', 'systemctl show -p MainPID --value nginx').trim();
    const [sumBefore, masterBefore] = [sum(), master()];

    const run = role('nginx', 'web01', '-e', 'nginx_client_max_body_size=lots');
    expect(run.code).toBe(2);
    const failed = taskResults(run, 'web01').find((r) => r.status === 'failed');
    expect(failed?.task).toBe('nginx : the site');
    expect(failed?.msg ?? '').toMatch(/client_max_body_size.*invalid value/);

    expect(sum()).toBe(sumBefore);
    expect(sshExec('web01', 'ls -A /etc/nginx/sites-available')).not.toMatch(/\.provision\./);
    expect(master()).toBe(masterBefore);
    expect(fromLb(`-o /dev/null -w '%{http_code}' http://${labHosts.web01}/static/style.css`)).toBe('200');
    // And the next good run has nothing to repair.
    expectNoChange(role('nginx', 'web01'), ['web01']);
  });
});
