// The certbot role on lb01 against the lab's ACME server (pebble, vagrant/acme.sh): converge (with the
// haproxy role, its dependency), what happens when pebble restarts, when the certificate is missing or
// comes from another server, idempotence, check mode, then verify with real clients from the control
// machine: openssl s_client (issuer Pebble Intermediate CA) and curl trusting pebble's root.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { changedTasks, provision, recap } from '../helpers/cli.js';
import { expectIdempotent } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const lb = 'lb01';
const domain = 'www.foobar.com';
const acmeScript = fileURLToPath(new URL('../../../vagrant/acme.sh', import.meta.url));
const acmeCa = '/var/lib/provision/lab/acme/ca.pem';
const role = (...extra: string[]) =>
  provision(['role', 'certbot', '-i', labInventory, '--limit', lb, '--json', '--no-retry-file', ...extra]);

/** Runs a command line on the control machine; only loopback and the lab's addresses are contacted. */
function local(command: string): { code: number; out: string } {
  const res = spawnSync('bash', ['-c', command], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

function acme(sub: 'start' | 'stop'): void {
  const res = spawnSync('bash', [acmeScript, sub], { encoding: 'utf8' });
  expect(res.status, res.stdout + res.stderr).toBe(0);
}

/** subject, issuer and serial of the certificate lb01 serves for the domain. */
function servedCert(): { subject: string; issuer: string; serial: string } {
  const out = local(
    `echo | openssl s_client -connect ${labHosts.lb01}:443 -servername ${domain} 2>/dev/null | openssl x509 -noout -subject -issuer -serial`,
  ).out;
  const field = (name: string) => new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(out)?.[1] ?? '';
  return { subject: field('subject'), issuer: field('issuer'), serial: field('serial') };
}

/** The subject of the intermediate that the running pebble signs with (new at each pebble start). */
const pebbleIntermediate = () =>
  local(`curl -sS --cacert ${acmeCa} https://127.0.0.1:15000/intermediates/0 | openssl x509 -noout -subject`).out.replace(/^subject=\s*/, '').trim();

const masterPid = () => sshExec(lb, 'systemctl show -p MainPID --value haproxy').trim();

describeLab('certbot role on lb01 (with the lab ACME server)', () => {
  beforeAll(() => acme('start'));

  it('check mode does not fail (on a fresh or a converged host)', () => {
    const run = role('--check');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it('converges: haproxy, then a certificate from pebble replaces the self-signed one', () => {
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    expect(servedCert().issuer).toMatch(/^CN = Pebble Intermediate CA /);
  });

  it('after pebble restarts (forgetting accounts and certificates) a valid certificate is kept', () => {
    const serial = servedCert().serial;
    acme('stop');
    acme('start');
    const run = role();
    expect(run.code, run.stderr).toBe(0);
    expect(recap(run)[lb]?.changed).toBe(0);
    expect(servedCert().serial).toBe(serial);
  });

  it('a missing certificate is issued again, under a new account when pebble forgot the old one', () => {
    sshExec(lb, `certbot delete --non-interactive --cert-name ${domain}`, { sudo: true });
    const pid = masterPid();
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    const changed = changedTasks(run, lb);
    expect(changed).toContain('certbot : an ACME account the server no longer knows is forgotten');
    expect(changed).toContain('certbot : HAProxy serves the certificate (the deploy hook, once)');
    // Issued by the pebble running now, and HAProxy reloaded without a new master (hitless).
    expect(servedCert().issuer).toBe(pebbleIntermediate());
    expect(masterPid()).toBe(pid);
  });

  it('a certificate from another ACME server is replaced (--force-renewal)', () => {
    const serial = servedCert().serial;
    sshExec(lb, `sed -i 's|^server = .*|server = https://192.168.56.1:14000/elsewhere|' /etc/letsencrypt/renewal/${domain}.conf`, { sudo: true });
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    expect(changedTasks(run, lb)).toContain("certbot : a certificate is requested (standalone on 127.0.0.1, behind HAProxy's port 80)");
    expect(servedCert().serial).not.toBe(serial);
    expect(sshExec(lb, `grep '^server = ' /etc/letsencrypt/renewal/${domain}.conf`, { sudo: true }).trim()).toBe(
      'server = https://192.168.56.1:14000/dir',
    );
  });

  it('a second run changes nothing, and neither does check mode', () => {
    expectIdempotent(role, [lb]);
  });

  it('openssl s_client sees CN www.foobar.com issued by Pebble Intermediate CA', () => {
    const cert = servedCert();
    expect(cert.subject).toBe(`CN = ${domain}`);
    expect(cert.issuer).toMatch(/^CN = Pebble Intermediate CA [0-9a-f]+$/);
  });

  it('curl trusting only pebble\'s root gets through TLS to the site', () => {
    const root = local(`curl -sS --cacert ${acmeCa} https://127.0.0.1:15000/roots/0 -o /tmp/provision-pebble-root.pem`);
    expect(root.code, root.out).toBe(0);
    const res = local(
      `curl -sS -o /dev/null -w '%{http_code} %{ssl_verify_result}' --max-time 10 --resolve ${domain}:443:${labHosts.lb01} --cacert /tmp/provision-pebble-root.pem https://${domain}/health`,
    );
    expect(res.code, res.out).toBe(0); // TLS verified (curl fails with 60 otherwise)
    // 200 once the web roles serve /health; until then HAProxy's own 503 (every server DOWN).
    const healthy = [labHosts.web01, labHosts.web02].some(
      (web) => sshExec(lb, `curl -s -o /dev/null -w '%{http_code}' --max-time 3 -H 'Host: ${domain}' http://${web}/health`) === '200',
    );
    expect(res.out).toBe(healthy ? '200 0' : '503 0');
  });

  it('renewals go through the deploy hook: a new PEM (0600) in HAProxy, reloaded hitlessly', () => {
    const serial = servedCert().serial;
    const pid = masterPid();
    const renew = sshRun(
      lb,
      `env REQUESTS_CA_BUNDLE=/usr/local/share/provision/acme-ca.pem certbot renew --force-renewal --no-random-sleep-on-renew --cert-name ${domain} -q`,
      { sudo: true, timeoutMs: 120_000 },
    );
    expect(renew.code, renew.stdout + renew.stderr).toBe(0);
    expect(servedCert().serial).not.toBe(serial);
    expect(masterPid()).toBe(pid);
    expect(sshExec(lb, `stat -c '%a %U' /etc/haproxy/certs/${domain}.pem`, { sudo: true }).trim()).toBe('600 root');
    expect(sshExec(lb, 'ls -A /etc/haproxy/certs', { sudo: true }).trim()).toBe(`${domain}.pem`);
  });

  it('Debian\'s certbot.timer renews (no cron job of ours), trusting the lab CA', () => {
    expect(sshExec(lb, 'systemctl is-enabled certbot.timer; systemctl is-active certbot.timer')).toBe('enabled\nactive\n');
    expect(sshExec(lb, 'systemctl show -p Environment --value certbot.service').trim()).toBe(
      'REQUESTS_CA_BUNDLE=/usr/local/share/provision/acme-ca.pem',
    );
    expect(sshExec(lb, 'crontab -l 2>/dev/null | grep -c certbot || true', { sudo: true }).trim()).toBe('0');
    expect(sshExec(lb, 'stat -c %a /etc/letsencrypt/renewal-hooks/deploy/haproxy.sh').trim()).toBe('755');
  });
});
