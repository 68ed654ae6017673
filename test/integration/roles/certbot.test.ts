// The certbot role on the load-balancer pair against the lab's ACME server (pebble, vagrant/acme.sh):
// certbot on lb01 (certbot_host) obtains the certificate, lb02 receives it (the role copies it on every
// run, the deploy hook pushes each renewal over SSH with a key restricted to a receive script). The
// challenge reaches whichever load balancer holds the virtual address (pebble's DNS answers site_vip),
// so issuance is also tested with the address on lb02. Converge (with the haproxy role, its
// dependency), pebble restarts, a missing certificate or one from another server, idempotence, check
// mode; real clients from the control machine: openssl s_client against each host's own address
// (identical certificates) and curl through the virtual address trusting only pebble's root.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changedTasks, provision, recap } from '../helpers/cli.js';
import { expectIdempotent } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const lbs = ['lb01', 'lb02'] as const;
type Lb = (typeof lbs)[number];
/** certbot_host (group_vars/lb.yaml) and the peer that receives its certificate. */
const issuer: Lb = 'lb01';
const peer: Lb = 'lb02';
const vip = '192.168.56.100';
const domain = 'www.foobar.com';
const pem = `/etc/haproxy/certs/${domain}.pem`;
const acmeScript = fileURLToPath(new URL('../../../vagrant/acme.sh', import.meta.url));
const acmeCa = '/var/lib/provision/lab/acme/ca.pem';
const role = (...extra: string[]) =>
  provision(['role', 'certbot', '-i', labInventory, '--limit', 'lb', '--json', '--no-retry-file', ...extra]);

/** Runs a command line on the control machine; only loopback and the lab's addresses are contacted. */
function local(command: string): { code: number; out: string } {
  const res = spawnSync('bash', ['-c', command], { encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

function acme(sub: 'start' | 'stop'): void {
  const res = spawnSync('bash', [acmeScript, sub], { encoding: 'utf8' });
  expect(res.status, res.stdout + res.stderr).toBe(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** subject, issuer, serial and SHA-256 fingerprint of the certificate an address serves for the domain. */
function servedCert(address: string): { subject: string; issuer: string; serial: string; fingerprint: string } {
  const out = local(
    `echo | openssl s_client -connect ${address}:443 -servername ${domain} 2>/dev/null | openssl x509 -noout -subject -issuer -serial -fingerprint -sha256`,
  ).out;
  const field = (name: string) => new RegExp(`^${name}=\\s*(.*)$`, 'm').exec(out)?.[1] ?? '';
  return { subject: field('subject'), issuer: field('issuer'), serial: field('serial'), fingerprint: field('sha256 Fingerprint') };
}

/** Both load balancers serve one and the same certificate; returns it. */
function sameCertOnBoth(): ReturnType<typeof servedCert> {
  const [a, b] = lbs.map((lb) => servedCert(labHosts[lb]));
  expect(a!.fingerprint).toMatch(/^[0-9A-F:]{95}$/);
  expect(b!.fingerprint, 'lb02 serves lb01\'s certificate').toBe(a!.fingerprint);
  return a!;
}

/** The subject of the intermediate that the running pebble signs with (new at each pebble start). */
const pebbleIntermediate = () =>
  local(`curl -sS --cacert ${acmeCa} https://127.0.0.1:15000/intermediates/0 | openssl x509 -noout -subject`).out.replace(/^subject=\s*/, '').trim();

const masterPid = (lb: Lb) => sshExec(lb, 'systemctl show -p MainPID --value haproxy').trim();
const holders = () => lbs.filter((lb) => sshExec(lb, 'ip -4 -o addr show').includes(` ${vip}/`));

/** Moves the virtual address to `lb` the way an operator would (nopreempt keeps it there). */
async function moveVipTo(lb: Lb): Promise<void> {
  const from = lbs.find((h) => h !== lb)!;
  if (holders().includes(lb)) return;
  try {
    sshExec(from, 'systemctl stop haproxy', { sudo: true });
    for (let i = 0; i < 30 && !holders().includes(lb); i++) await sleep(200);
  } finally {
    sshExec(from, 'systemctl start haproxy', { sudo: true });
  }
  expect(holders()).toEqual([lb]);
}

describeLab('certbot role on lb01 and lb02 (with the lab ACME server)', () => {
  beforeAll(() => acme('start'));
  afterAll(() => {
    for (const lb of lbs) sshRun(lb, 'systemctl start haproxy', { sudo: true });
  });

  it('check mode does not fail (on a fresh or a converged pair)', () => {
    const run = role('--check');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it('converges: haproxy, then a certificate from pebble replaces the self-signed one, on both', () => {
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    expect(sameCertOnBoth().issuer).toMatch(/^CN = Pebble Intermediate CA /);
  });

  it('after pebble restarts (forgetting accounts and certificates) a valid certificate is kept', () => {
    const serial = sameCertOnBoth().serial;
    acme('stop');
    acme('start');
    const run = role();
    expect(run.code, run.stderr).toBe(0);
    for (const lb of lbs) expect(recap(run)[lb]?.changed, lb).toBe(0);
    expect(sameCertOnBoth().serial).toBe(serial);
  });

  it('a missing certificate is issued again (new account), through lb02 holding the address, and reaches lb02', async () => {
    await moveVipTo(peer);
    sshExec(issuer, `certbot delete --non-interactive --cert-name ${domain}`, { sudo: true });
    const pids = lbs.map(masterPid);
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    const changed = changedTasks(run, issuer);
    expect(changed).toContain('certbot : an ACME account the server no longer knows is forgotten');
    expect(changed).toContain('certbot : HAProxy serves the certificate (the deploy hook, once)');
    expect(changedTasks(run, peer)).toContain("certbot : HAProxy's certificate is certbot_host's (chain + key, root only)");
    // Issued by the pebble running now, served by both, HAProxy reloaded without a new master (hitless).
    expect(sameCertOnBoth().issuer).toBe(pebbleIntermediate());
    expect(lbs.map(masterPid)).toEqual(pids);
    expect(holders()).toEqual([peer]);
  });

  it('a certificate from another ACME server is replaced (--force-renewal)', () => {
    const serial = sameCertOnBoth().serial;
    sshExec(issuer, `sed -i 's|^server = .*|server = https://192.168.56.1:14000/elsewhere|' /etc/letsencrypt/renewal/${domain}.conf`, { sudo: true });
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);
    expect(changedTasks(run, issuer)).toContain("certbot : a certificate is requested (standalone on the private address, behind every HAProxy's port 80)");
    expect(sameCertOnBoth().serial).not.toBe(serial);
    expect(sshExec(issuer, `grep -E '^(server|http01_address|http01_port) = ' /etc/letsencrypt/renewal/${domain}.conf`, { sudo: true })).toBe(
      'http01_port = 8888\nhttp01_address = 192.168.56.10\nserver = https://192.168.56.1:14000/dir\n',
    );
  });

  it('a peer that lost the certificate gets it back from the next run', async () => {
    const served = sameCertOnBoth();
    // As a peer that was down during a renewal: it serves an older (here: self-signed) certificate.
    sshExec(
      peer,
      `cd /tmp && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=${domain} -keyout k.pem -out c.pem 2>/dev/null && ` +
        `cat c.pem k.pem > ${pem} && rm -f k.pem c.pem && systemctl reload haproxy`,
      { sudo: true },
    );
    // A reload signals the master and returns: the new worker serves a moment later.
    let now = servedCert(labHosts[peer]).fingerprint;
    for (let i = 0; i < 20 && now === served.fingerprint; i++) {
      await sleep(250);
      now = servedCert(labHosts[peer]).fingerprint;
    }
    expect(now).not.toBe(served.fingerprint);
    const run = role();
    expect(run.code, run.stderr).toBe(0);
    expect(recap(run)[issuer]?.changed).toBe(0);
    expect(recap(run)[peer]?.changed).toBe(2); // the copy and the reload
    expect(sameCertOnBoth().fingerprint).toBe(served.fingerprint);
  });

  it('a second run changes nothing, and neither does check mode', () => {
    expectIdempotent(role, lbs);
  });

  it('openssl s_client sees CN www.foobar.com issued by Pebble Intermediate CA on both', () => {
    const cert = sameCertOnBoth();
    expect(cert.subject).toBe(`CN = ${domain}`);
    expect(cert.issuer).toMatch(/^CN = Pebble Intermediate CA [0-9a-f]+$/);
  });

  it('curl trusting only pebble\'s root gets through TLS to the site at the virtual address', () => {
    const root = local(`curl -sS --cacert ${acmeCa} https://127.0.0.1:15000/roots/0 -o /tmp/provision-pebble-root.pem`);
    expect(root.code, root.out).toBe(0);
    const res = local(
      `curl -sS -o /dev/null -w '%{http_code} %{ssl_verify_result}' --max-time 10 --resolve ${domain}:443:${vip} --cacert /tmp/provision-pebble-root.pem https://${domain}/`,
    );
    expect(res.code, res.out).toBe(0); // TLS verified (curl fails with 60 otherwise)
    // Whatever the web hosts answer (they are worked on too), or HAProxy's own 503: an HTTP status.
    expect(res.out).toMatch(/^[1-5]\d\d 0$/);
  });

  it('renewals go through the deploy hook: a new PEM (0600) on both, both HAProxy reloaded hitlessly', () => {
    const serial = sameCertOnBoth().serial;
    const pids = lbs.map(masterPid);
    const renew = sshRun(
      issuer,
      `env REQUESTS_CA_BUNDLE=/usr/local/share/provision/acme-ca.pem certbot renew --force-renewal --no-random-sleep-on-renew --cert-name ${domain} -q`,
      { sudo: true, timeoutMs: 120_000 },
    );
    expect(renew.code, renew.stdout + renew.stderr).toBe(0);
    // lb02 got it from the hook's push, not from a role run.
    expect(sameCertOnBoth().serial).not.toBe(serial);
    expect(lbs.map(masterPid)).toEqual(pids);
    for (const lb of lbs) {
      expect(sshExec(lb, `stat -c '%a %U' ${pem}`, { sudo: true }).trim(), lb).toBe('600 root');
      expect(sshExec(lb, 'ls -A /etc/haproxy/certs', { sudo: true }).trim(), lb).toBe(`${domain}.pem`);
    }
  });

  it('the push key runs nothing but the receive script, which takes only a valid certificate for the domain', () => {
    const key = '/etc/letsencrypt/provision-push/id_ed25519';
    const ssh = (command: string, input = '') =>
      sshRun(
        issuer,
        `ssh -i ${key} -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=/etc/letsencrypt/provision-push/known_hosts.${labHosts[peer]} root@${labHosts[peer]} ${command}`,
        { sudo: true, input },
      );
    const before = sshExec(peer, `sha256sum ${pem}`, { sudo: true });
    // Whatever is asked, the forced command runs: `id` is never run, and empty input is refused.
    const id = ssh('id');
    expect(id.code).not.toBe(0);
    expect(id.stdout).not.toMatch(/uid=/);
    expect(id.stderr).toMatch(/haproxy-cert-receive: no certificate valid now/);
    // A certificate for another name, with its key, is refused.
    const other = sshExec(
      issuer,
      'cd /tmp && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=example.org -keyout k.pem -out c.pem 2>/dev/null && cat c.pem k.pem && rm -f c.pem k.pem',
    );
    const refused = ssh('receive', other);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not for www\.foobar\.com/);
    expect(sshExec(peer, `sha256sum ${pem}`, { sudo: true })).toBe(before);
    // The same PEM again: accepted, nothing to do.
    const same = ssh('receive', sshExec(issuer, `cat ${pem}`, { sudo: true }));
    expect(same.stdout.trim(), same.stderr).toBe('unchanged');
    // The key is accepted from lb01's address only, for that command only, without a shell or forwarding.
    expect(sshExec(peer, 'grep certbot-push@ /root/.ssh/authorized_keys', { sudo: true })).toMatch(
      /^restrict,from="192\.168\.56\.10",command="\/usr\/local\/sbin\/haproxy-cert-receive www\.foobar\.com" ssh-ed25519 \S+ certbot-push@lb01\n$/,
    );
  });

  it('Debian\'s certbot.timer renews on lb01 (no cron job of ours), trusting the lab CA', () => {
    expect(sshExec(issuer, 'systemctl is-enabled certbot.timer; systemctl is-active certbot.timer')).toBe('enabled\nactive\n');
    expect(sshExec(issuer, 'systemctl show -p Environment --value certbot.service').trim()).toBe(
      'REQUESTS_CA_BUNDLE=/usr/local/share/provision/acme-ca.pem',
    );
    expect(sshExec(issuer, 'crontab -l 2>/dev/null | grep -c certbot || true', { sudo: true }).trim()).toBe('0');
    expect(sshExec(issuer, 'stat -c %a /etc/letsencrypt/renewal-hooks/deploy/haproxy.sh').trim()).toBe('755');
    // lb02 obtains nothing itself.
    expect(sshExec(peer, `test -e /etc/letsencrypt/live/${domain} && echo lineage || echo none`, { sudo: true }).trim()).toBe('none');
  });
});
