// roles/blackbox_exporter on mon01, Molecule's way: check mode, converge, idempotence, then verify with
// real clients: curl on mon01 asks each module to probe the site through the virtual address
// (probe_success 1, the status codes, the certificate's expiry compared with what openssl sees), targets
// that are down or whose certificate does not match fail (probe_success 0), a config change reloads
// without a restart, a bad one is refused, and the control machine (not a monitoring host) is kept out.

import { spawnSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { eventually, itConverges } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const mon = 'mon01';
const PORT = 9115; // group_vars/all.yaml blackbox_exporter_port
const domain = 'www.foobar.com';
const vip = '192.168.56.100'; // inventory/vagrant.yaml site_vip
const CONFIG = '/etc/prometheus/blackbox.yml';
// The lab's issuing root (pebble's management API, on the control machine's loopback): unless the
// inventory already names it, the role is told where to read it.
const labCa = ['-e', 'blackbox_site_ca_url=https://127.0.0.1:15000/roots/0'];

const role = (...extra: string[]) =>
  provision(['role', 'blackbox_exporter', '-i', labInventory, '--limit', mon, '--json', '--no-retry-file', ...labCa, ...extra]);
const ok = (run: { code: number; stderr: string; stdout: string }) => expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);

/** One probe as Prometheus asks for it, by curl on mon01 to the exporter's private address. */
function probe(module: string, target: string): string {
  const url = `http://${labHosts[mon]}:${PORT}/probe?module=${module}&target=${encodeURIComponent(target)}`;
  return sshExec(mon, `curl -sS --max-time 15 '${url}'`);
}
function sample(page: string, name: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}
const exporterPid = () => sshExec(mon, 'systemctl show -p MainPID --value prometheus-blackbox-exporter').trim();
const configSum = () => sshExec(mon, `sha256sum ${CONFIG}`).split(' ')[0];

describeLab('role blackbox_exporter on mon01', () => {
  // The site must answer through its virtual address (HAProxy, keepalived, certbot on the lb hosts; the
  // web servers behind them) and mon01's firewall must be on: converge what the probes go through.
  beforeAll(() => {
    const answers = spawnSync(
      'bash',
      ['-c', `curl -sS --cacert <(curl -sS -k https://127.0.0.1:15000/roots/0) --resolve ${domain}:443:${vip} -o /dev/null -w '%{http_code}' --max-time 10 https://${domain}/`],
      { encoding: 'utf8' },
    );
    if (answers.stdout !== '200') ok(provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--limit', 'lb:web', '--json', '--no-retry-file']));
    ok(provision(['role', 'ufw', '-i', labInventory, '--limit', mon, '--json', '--no-retry-file']));
  }, 15 * 60_000);

  itConverges(role, [mon]);

  it('listens on the private address only, enabled and running, the site\'s name pinned to site_vip', () => {
    const listeners = sshExec(mon, `ss -Hltn 'sport = :${PORT}'`).trim().split('\n').map((l) => l.split(/\s+/)[3]);
    expect(listeners).toEqual([`${labHosts[mon]}:${PORT}`]);
    expect(sshExec(mon, 'systemctl is-enabled prometheus-blackbox-exporter; systemctl is-active prometheus-blackbox-exporter')).toBe('enabled\nactive\n');
    expect(sshExec(mon, `getent ahostsv4 ${domain} | head -n 1`).split(/\s+/)[0]).toBe(vip);
    expect(sshExec(mon, `grep -c ' ${domain}$' /etc/hosts`).trim()).toBe('1');
  });

  it('https_site: 200 over TLS verified with the lab CA, and the certificate expiry openssl sees', () => {
    const page = probe('https_site', `https://${domain}/`);
    expect(sample(page, 'probe_success'), page).toBe(1);
    expect(sample(page, 'probe_http_status_code')).toBe(200);
    expect(sample(page, 'probe_http_ssl')).toBe(1);
    // The served certificate's notAfter, read independently from the control machine with openssl.
    const notAfter = spawnSync('bash', ['-c', `echo | openssl s_client -connect ${vip}:443 -servername ${domain} 2>/dev/null | openssl x509 -noout -enddate`], { encoding: 'utf8' });
    const expiry = Date.parse(notAfter.stdout.replace(/^notAfter=/, '').trim()) / 1000;
    expect(Number.isFinite(expiry), notAfter.stdout).toBe(true);
    // The earliest expiry of the chain: the leaf's or an issuer's, never later than the leaf's.
    const earliest = sample(page, 'probe_ssl_earliest_cert_expiry') as number;
    expect(earliest).toBeGreaterThan(Date.now() / 1000);
    expect(earliest).toBeLessThanOrEqual(expiry);
  });

  it('http_redirect: 301 to https, not followed; tcp_vip: the virtual address accepts on 443', () => {
    const redirect = probe('http_redirect', `http://${domain}/`);
    expect(sample(redirect, 'probe_success'), redirect).toBe(1);
    // The final status is the 301 itself: the redirect was not followed (followed, it would be 200).
    expect(sample(redirect, 'probe_http_status_code')).toBe(301);
    const tcp = probe('tcp_vip', `${vip}:443`);
    expect(sample(tcp, 'probe_success'), tcp).toBe(1);
  });

  it('probe_success 0 for a target that is down, a certificate that does not match, a page that is not a redirect', () => {
    // Nothing listens on port 1.
    expect(sample(probe('tcp_vip', '127.0.0.1:1'), 'probe_success')).toBe(0);
    expect(sample(probe('https_site', `https://${domain}:1/`), 'probe_success')).toBe(0);
    // The load balancer's own address: the certificate names www.foobar.com, not 192.168.56.10.
    const mismatch = probe('https_site', `https://${labHosts.lb01}/`);
    expect(sample(mismatch, 'probe_success'), mismatch).toBe(0);
    // https answers 200, not the 301 the redirect module expects (and it is TLS).
    expect(sample(probe('http_redirect', `https://${domain}/`), 'probe_success')).toBe(0);
  });

  it('without the lab CA, https_site fails: the TLS check is real', () => {
    const ca = sshExec(mon, 'grep -o "ca_file: .*" /etc/prometheus/blackbox.yml').trim();
    expect(ca).toBe('ca_file: /etc/prometheus/blackbox-site-ca.pem');
    try {
      sshExec(mon, `sed -i 's|^\\(\\s*\\)ca_file: .*|\\1ca_file: /etc/ssl/certs/ca-certificates.crt|' ${CONFIG} && systemctl reload prometheus-blackbox-exporter`, { sudo: true });
      const page = probe('https_site', `https://${domain}/`);
      expect(sample(page, 'probe_success'), page).toBe(0);
    } finally {
      ok(role());
    }
    expect(sample(probe('https_site', `https://${domain}/`), 'probe_success')).toBe(1);
  });

  it('a changed module reloads the exporter (same process); a bad one is refused and changes nothing', async () => {
    const pid = exporterPid();
    const changed = role('-e', 'blackbox_probe_timeout=4s');
    ok(changed);
    expect(recap(changed)[mon]?.changed).toBe(2); // the config, then the reload handler
    expect(sshExec(mon, `grep -c 'timeout: 4s' ${CONFIG}`).trim()).toBe('3');
    expect(exporterPid()).toBe(pid);
    const sum = configSum();
    const bad = role('-e', 'blackbox_probe_timeout=soon');
    expect(bad.code).toBe(2);
    expect(configSum()).toBe(sum);
    expect(exporterPid()).toBe(pid);
    const restored = role();
    ok(restored);
    expect(recap(restored)[mon]?.changed).toBe(2);
    expect(await eventually(() => sample(probe('tcp_vip', `${vip}:443`), 'probe_success') === 1, 10, 500)).toBe(true);
  });

  it('only the monitoring hosts reach it: the control machine is kept out by UFW', () => {
    const res = spawnSync('curl', ['-s', '-o', '/dev/null', '-m', '3', `http://${labHosts[mon]}:${PORT}/metrics`], { encoding: 'utf8' });
    expect([7, 28]).toContain(res.status);
    // mon01 itself (the monitoring host, where Prometheus runs) gets in.
    const local = sshRun(mon, `curl -s -o /dev/null -w '%{http_code}' -m 5 http://${labHosts[mon]}:${PORT}/metrics`);
    expect(local.stdout).toBe('200');
  });
});
