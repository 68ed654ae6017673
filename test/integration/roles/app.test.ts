// The app role, Molecule's way: MariaDB first (the app's primary and replica), then converge the app on
// both web servers, idempotence, check mode, and verify from inside the guests with real clients
// (gunicorn on loopback; Nginx in front of it is nginx.test.ts's business).

import { expect, it } from 'vitest';
import { recap, type CliRun } from '../helpers/cli.js';
import { eventually, expectNoChange, runRole } from '../helpers/molecule.js';
import { describeLab, sshExec } from '../helpers/lab.js';

const WEB = ['web01', 'web02'] as const;
// The lab's app_db_password (inventory/vagrant.yaml): it must never show up in output or argv.
const DB_PASSWORD = 'lab-app-2b7d91';

const role = (name: string, limit: string, ...extra: string[]): CliRun => runRole(name, '--limit', limit, ...extra);

const health = (host: string) => {
  const out = sshExec(host, 'curl -s --max-time 10 -w "\\n%{http_code}" http://127.0.0.1:8000/health').trim().split('\n');
  return { code: out.at(-1), body: JSON.parse(out.slice(0, -1).join('\n') || '{}') as Record<string, string> };
};

describeLab('app role', () => {
  it('--check on a host that never had the app (lb01) predicts changes, fails nothing, makes nothing', () => {
    // lb01 is not in the web group: name the database servers as group_vars/web.yaml does.
    const run = role('app', 'lb01', '--check', '-e', 'mysql_primary=web01', '-e', 'mysql_replica=web02');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(recap(run).lb01).toMatchObject({ failed: 0 });
    expect(recap(run).lb01?.changed).toBeGreaterThan(5);
    expect(sshExec('lb01', 'test -e /etc/foobar || test -e /srv/foobar && echo present || echo absent').trim()).toBe('absent');
  });

  it('mysql converges first (the primary and the replica the app uses)', () => {
    const run = role('mysql', 'web');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it('converges, and --diff never shows the database password', () => {
    const run = role('app', 'web', '--diff');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(DB_PASSWORD);
  });

  it('a second run changes nothing', () => {
    expectNoChange(role('app', 'web'), WEB);
  });

  it('--check --diff on converged hosts predicts no change', () => {
    expectNoChange(role('app', 'web', '--check', '--diff'), WEB);
  });

  it('runs gunicorn as foobar on 127.0.0.1:8000 only, code read-only, password only in a 0640 file', () => {
    for (const host of WEB) {
      expect(sshExec(host, 'systemctl is-active foobar').trim(), host).toBe('active');
      const listeners = sshExec(host, "ss -Hltn 'sport = :8000'").trim().split('\n').map((l) => l.split(/\s+/)[3]);
      expect(listeners, host).toEqual(['127.0.0.1:8000']);
      expect(sshExec(host, "ps -o user= -C gunicorn | sort -u").trim(), host).toBe('foobar');
      expect(sshExec(host, 'ps -eo args'), host).not.toContain(DB_PASSWORD);
      expect(sshExec(host, 'sudo stat -c "%U:%G %a" /etc/foobar/app.ini').trim(), host).toBe('root:foobar 640');
      expect(sshExec(host, 'sudo -u foobar test -w /srv/foobar/current/foobar.py && echo writable || echo read-only').trim(), host).toBe('read-only');
    }
  });

  it('/health is 200 with the primary and the replica ok', async () => {
    for (const host of WEB) {
      const ok = await eventually(() => health(host).code === '200');
      expect(ok, `${host}: ${JSON.stringify(health(host))}`).toBe(true);
      expect(health(host).body, host).toEqual({
        status: 'ok',
        host,
        version: '1.0.0',
        primary: 'ok',
        replica: 'ok',
        servers: { '192.168.56.11:3306': 'primary', '192.168.56.12:3306': 'replica' },
      });
    }
  });

  it('a message posted on web01 (primary) is read back on web02 (replica) and in the page', async () => {
    const text = `app-test-${Date.now()}`;
    const post = sshExec('web01', `curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode text=${text} http://127.0.0.1:8000/messages`);
    expect(post).toBe('303 http://127.0.0.1:8000/');
    // Up to 60 s: replication may be reconnecting (mysql_net_timeout + mysql_connect_retry).
    expect(await eventually(() => sshExec('web02', 'curl -s http://127.0.0.1:8000/api/messages').includes(text), 120)).toBe(true);
    const page = sshExec('web02', 'curl -s http://127.0.0.1:8000/');
    expect(page).toContain(text);
    expect(page).toContain('Served by <strong>web02</strong>');
  });

  it('reads fall back to the primary, /health says degraded; with no server reachable reads and writes answer 503 at once', async () => {
    const pid = () => sshExec('web02', 'systemctl show -p MainPID --value foobar').trim();
    const before = pid();
    try {
      // Only the primary: the replica is as good as down for this app.
      const primaryOnly = role('app', 'web02', '-e', '{"app_db_servers": ["192.168.56.11"]}');
      expect(primaryOnly.code, primaryOnly.stderr).toBe(0);
      expect(await eventually(() => health('web02').body.replica === 'error')).toBe(true);
      expect(health('web02')).toMatchObject({ code: '200', body: { status: 'degraded', primary: 'ok', replica: 'error' } });
      expect(sshExec('web02', "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8000/api/messages")).toBe('200');
      // A settings change is a reload: same main PID.
      expect(pid()).toBe(before);

      // 127.0.0.9: loopback, where no MariaDB answers: nothing to read from or write to.
      const none = role('app', 'web02', '-e', '{"app_db_servers": ["127.0.0.9"]}');
      expect(none.code, none.stderr).toBe(0);
      expect(await eventually(() => health('web02').code === '503')).toBe(true);
      expect(health('web02').body).toMatchObject({ status: 'unavailable', primary: 'error', replica: 'error' });
      const write = sshExec('web02', "curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 20 --data-urlencode text=x http://127.0.0.1:8000/messages").split(' ');
      expect(write[0]).toBe('503');
      expect(Number(write[1]), 'a write with no primary is refused quickly').toBeLessThan(3);
      expect(sshExec('web02', "curl -s -o /dev/null -w '%{http_code}' --max-time 20 http://127.0.0.1:8000/api/messages")).toBe('503');
    } finally {
      // Back to the inventory's settings, whatever failed above.
      const restored = role('app', 'web02');
      expect(restored.code, restored.stderr).toBe(0);
    }
    expect(await eventually(() => health('web02').code === '200' && health('web02').body.status === 'ok')).toBe(true);
    expect(pid()).toBe(before);
  });

  it('a session started on one web server is valid on the other (one session key)', () => {
    const first = sshExec('web01', 'curl -s -D - http://127.0.0.1:8000/session');
    const cookie = /^set-cookie: (session=[^;]+)/im.exec(first)?.[1];
    expect(cookie, first).toBeDefined();
    expect(first).toMatch(/"started_on":"web01"[\s\S]*"visits":1|"visits":1[\s\S]*"started_on":"web01"/);
    const second = JSON.parse(sshExec('web02', `curl -s -H 'Cookie: ${cookie}' http://127.0.0.1:8000/session`)) as Record<string, unknown>;
    expect(second).toMatchObject({ host: 'web02', started_on: 'web01', visits: 2 });
    // A cookie signed with another key is not accepted: the session starts afresh.
    // Change the signature's first character: its last one may carry only padding bits, which decode alike.
    const value = (cookie as string).slice('session='.length);
    const signatureAt = value.lastIndexOf('.') + 1;
    const forged = `session=${value.slice(0, signatureAt)}${value[signatureAt] === 'A' ? 'B' : 'A'}${value.slice(signatureAt + 1)}`;
    const third = JSON.parse(sshExec('web02', `curl -s -H 'Cookie: ${forged}' http://127.0.0.1:8000/session`)) as Record<string, unknown>;
    expect(third).toMatchObject({ host: 'web02', started_on: 'web02', visits: 1 });
  });

  it('a release is a directory of its own and current points at it; older releases are pruned to app_keep_releases', () => {
    for (const host of WEB) {
      expect(sshExec(host, 'readlink /srv/foobar/current').trim(), host).toBe('/srv/foobar/releases/1.0.0');
      expect(sshExec(host, 'cat /srv/foobar/current/VERSION').trim(), host).toBe('1.0.0');
      expect(sshExec(host, 'test -e /srv/foobar/app && echo present || echo absent').trim(), host).toBe('absent');
    }
  });
});
