// Extra vars win over the inventory for connection variables too (Ansible's precedence): a host whose
// inventory points nowhere (port 1, a missing key, a known_hosts that does not exist) is reached on a
// loopback sshd (../transport/sshd-fixture.ts) only through -e, and --trust-on-first-use says which
// key it recorded. Skipped with a message when sshd is not installed, except under CI=true.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdUnavailable, startSshd, type SshdFixture } from '../transport/sshd-fixture.js';
import { ensureBuilt, provision, tempDir } from './cli.js';

const unavailable = sshdUnavailable();
if (unavailable) {
  if (process.env.CI === 'true') throw new Error(`extra-vars connection tests cannot run under CI: ${unavailable}`);
  console.warn(`skipping extra-vars connection tests: ${unavailable}`);
}

describe.skipIf(unavailable !== undefined)('extra vars override connection variables', { timeout: 60_000 }, () => {
  let f: SshdFixture;
  let tmp: { dir: string; cleanup: () => void };
  let inventory: string;

  beforeAll(async () => {
    ensureBuilt();
    f = await startSshd();
    tmp = tempDir();
    inventory = join(tmp.dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      [
        'all:',
        '  hosts:',
        '    far:',
        '      ansible_host: 127.0.0.2',
        '      ansible_port: 1',
        '      ansible_user: nobody-here',
        `      ansible_ssh_private_key_file: ${join(tmp.dir, 'no-such-key')}`,
        `      provision_known_hosts_file: ${join(tmp.dir, 'inventory_known_hosts')}`,
        '',
      ].join('\n'),
    );
  }, 30_000);

  afterAll(async () => {
    await f?.stop();
    tmp?.cleanup();
  });

  const connectionVars = (knownHosts: string): string[] => [
    '-e', 'ansible_host=127.0.0.1',
    '-e', `ansible_port=${f.port}`,
    '-e', `ansible_user=${f.user}`,
    '-e', `ansible_ssh_private_key_file=${f.clientKeyFile}`,
    '-e', `provision_known_hosts_file=${knownHosts}`,
  ];

  it('the inventory alone cannot connect', () => {
    const r = provision(['exec', '-i', inventory, '-T', '3', 'echo reached'], { home: tmp.dir });
    expect(r.status).toBe(3);
    expect(r.stdout + r.stderr).not.toContain('reached\n');
  });

  it('host, port, user, key and known_hosts from -e: the command runs', () => {
    const r = provision(['exec', '-i', inventory, ...connectionVars(f.knownHostsFile), 'echo reached-$((40 + 2))'], { home: tmp.dir });
    expect(r.stdout + r.stderr).toContain('reached-42');
    expect(r.status).toBe(0);
    expect(existsSync(join(tmp.dir, 'inventory_known_hosts'))).toBe(false);
  });

  it('-e provision_known_hosts_file=EMPTY refuses the unknown key and records nothing', () => {
    const empty = join(tmp.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const r = provision(['exec', '-i', inventory, ...connectionVars(empty), 'echo reached'], { home: tmp.dir });
    expect(r.status).toBe(3);
    expect(r.stdout + r.stderr).toContain(`unknown SSH host key for 127.0.0.1:${f.port}`);
    expect(r.stdout + r.stderr).not.toContain('reached\n');
    expect(readFileSync(empty, 'utf8')).toBe('');
  });

  it('--trust-on-first-use prints the host, key type and fingerprint it recorded', () => {
    const file = join(tmp.dir, 'tofu_known_hosts');
    const r = provision(['exec', '-i', inventory, ...connectionVars(file), '--trust-on-first-use', 'echo reached'], { home: tmp.dir });
    expect(r.status).toBe(0);
    const fingerprint = spawnSync('ssh-keygen', ['-lf', join(f.dir, 'host_ed25519.pub')]).stdout.toString().split(' ')[1] as string;
    expect(fingerprint).toMatch(/^SHA256:/);
    expect(r.stdout + r.stderr).toContain(`recorded the SSH host key of far (127.0.0.1:${f.port}): ssh-ed25519 ${fingerprint} in ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(`${f.hostKeyLine}\n`);
  });
});
