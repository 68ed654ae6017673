// The lab itself: each guest answers ssh with systemd running, can run ufw (own netfilter, the
// control machine's firewall untouched), and reaches Debian's package mirror through the NAT bridge.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeLab, labHostNames, sshRunAsync, type SshOptions } from './helpers/lab.js';

const cliBundle = fileURLToPath(new URL('../../dist/provision.js', import.meta.url));
const cliBin = fileURLToPath(new URL('../../bin/provision.js', import.meta.url));
const apt = 'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -q';

/** Runs the same command on all three hosts at once; returns {host: result}. */
async function onEachHost(command: string, options: SshOptions & { hosts?: readonly string[] } = {}) {
  const hosts = options.hosts ?? labHostNames;
  const results = await Promise.all(hosts.map((host) => sshRunAsync(host, command, options)));
  return Object.fromEntries(hosts.map((host, i) => [host, results[i]!]));
}
/** The trimmed stdout of a command on each host. */
async function outputs(command: string): Promise<Record<string, string>> {
  const results = await onEachHost(command);
  return Object.fromEntries(Object.entries(results).map(([h, r]) => [h, r.stdout.trim()]));
}
const expected = <T>(value: T): Record<string, T> => Object.fromEntries(labHostNames.map((h) => [h, value]));

describeLab('the lab', () => {
  it('each host answers ssh with its own hostname and systemd running', async () => {
    const started = Date.now();
    const states = await outputs('systemctl is-system-running');
    expect(states).toEqual(expected('running'));
    const names = await outputs('hostname');
    expect(names).toEqual(Object.fromEntries(labHostNames.map((h) => [h, h])));
    console.log(`[lab] 6 ssh round trips in ${Date.now() - started} ms`);
  });

  it("each host reaches Debian's package mirror (apt-get update)", async () => {
    const results = await onEachHost(`${apt} update`, { sudo: true });
    for (const [host, res] of Object.entries(results)) {
      expect({ host, code: res.code, stderr: res.stderr }).toMatchObject({ host, code: 0 });
      expect(res.stderr, host).not.toMatch(/^(W|E): (Failed|Some index files)/m);
    }
  });

  it.runIf(existsSync(cliBundle))('`provision lab status` shows every host answering', () => {
    const res = spawnSync(process.execPath, [cliBin, 'lab', 'status'], { encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    for (const host of labHostNames) expect(res.stdout).toMatch(new RegExp(`^${host}\\s+192\\.168\\.56\\.\\d+\\s+\\S+\\s+running$`, 'm'));
  });

  describe('ufw', () => {
    // The ufw role may already own the firewall of these guests (tests share the lab): an active UFW
    // is left as it is; an inactive one is enabled for the test and put back as it was found.
    it('each host can enable ufw and still accepts new ssh connections', async () => {
      const installed = await onEachHost(`${apt} install -y ufw`, { sudo: true });
      for (const [host, res] of Object.entries(installed)) expect({ host, code: res.code, err: res.stderr }).toMatchObject({ host, code: 0 });

      const script = [
        'if ufw status | grep -q "^Status: active"; then echo was-active; ufw status; exit 0; fi',
        'ufw allow 22/tcp comment lab-test >/dev/null && ufw --force enable >/dev/null && ufw status',
      ].join('\n');
      const enabled = await onEachHost(script, { sudo: true });
      for (const [host, res] of Object.entries(enabled)) {
        expect({ host, code: res.code, err: res.stderr }).toMatchObject({ host, code: 0 });
        expect(res.stdout, host).toMatch(/^Status: active/m);
        expect(res.stdout, host).toMatch(/^22\/tcp\s+ALLOW/m);
      }
      // A new connection after `enable` proves the rules were applied in the guest, not fatal to it.
      expect(await outputs('echo ok')).toEqual(expected('ok'));

      // Put back what this test changed (only where UFW was inactive before).
      const restore = Object.entries(enabled).filter(([, res]) => !res.stdout.includes('was-active')).map(([host]) => host);
      const undone = await onEachHost('ufw --force disable >/dev/null && ufw --force delete allow 22/tcp >/dev/null; ufw status', { sudo: true, hosts: restore });
      for (const [host, res] of Object.entries(undone)) expect(res.stdout.trim(), host).toBe('Status: inactive');
    });
  });
});
