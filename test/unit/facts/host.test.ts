// The host facts probe reads /proc and /etc with bash builtins; run it here and check each fact
// against the command it no longer starts (hostname, uname, nproc, id, ip route, awk on /proc/meminfo).
import { execFileSync, execSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostFactsProbe, parseHostFacts } from '../../../src/facts/host.js';

const sh = (command: string): string => execSync(command, { encoding: 'utf8', shell: '/bin/bash' }).trim();
const run = (env: NodeJS.ProcessEnv = process.env) =>
  parseHostFacts({ code: 0, stdout: execFileSync('bash', ['-c', hostFactsProbe.command], { encoding: 'utf8', env }), stderr: '' });

describe('hostFactsProbe', () => {
  it('gives what the commands it replaced print', () => {
    const facts = run();
    expect(facts.hostname).toBe(sh('hostname -s'));
    expect(facts.fqdn).toBe(sh('hostname -f 2>/dev/null || hostname'));
    expect(facts.architecture).toBe(sh('uname -m'));
    expect(facts.kernel).toBe(sh('uname -r'));
    expect(facts.processor_count).toBe(Number(sh('nproc')));
    expect(facts.memtotal_mb).toBe(Math.round(Number(sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo")) / 1024));
    expect(facts.user_id).toBe(sh('id -un'));
    expect(facts.service_mgr).toBe(sh('cat /proc/1/comm'));
    const iface = sh("ip -4 route show default 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n1");
    const address = iface ? sh(`ip -4 -o addr show dev ${iface} scope global | awk '{split($4,a,"/"); print a[1]; exit}'`) : '';
    expect(facts.default_ipv4).toEqual({ interface: iface, address });
    expect(facts.all_ipv4_addresses).toEqual(sh(`ip -4 -o addr show scope global | awk '{split($4,a,"/"); print a[1]}'`).split('\n').filter(Boolean));
  });

  it('counts the CPUs from /proc/self/status, without nproc (a process start) to fall back on', () => {
    const bash = sh('command -v bash');
    // No PATH: every command the script would start fails (the nproc fallback gives 1), so on a machine
    // with more CPUs the count can only come from the file.
    const facts = parseHostFacts({ code: 0, stdout: execFileSync(bash, ['-c', hostFactsProbe.command], { encoding: 'utf8', env: { PATH: '/nonexistent' } }), stderr: '' });
    expect(facts.processor_count).toBe(Number(sh('nproc')));
  });

  it('leaves the CPU count to nproc when OMP_NUM_THREADS caps it', () => {
    expect(run({ ...process.env, OMP_NUM_THREADS: '1' }).processor_count).toBe(1);
  });

  it('parses a lab guest (web02, Debian 12) as Ansible names its facts', () => {
    const stdout = [
      'hostname=web02', 'fqdn=web02', 'distribution=Debian GNU/Linux', 'distribution_id=debian', 'distribution_version=12',
      'distribution_release=bookworm', 'architecture=x86_64', 'kernel=6.18.44-fc-v782', 'processor_count=2', 'memtotal_kb=24683620',
      'user_id=vagrant', 'default_interface=eth0', 'default_address=10.0.3.112', 'all_ipv4=10.0.3.112 192.168.56.12 ',
      'ipv4_by_interface=eth0=10.0.3.112 eth1=192.168.56.12 ', 'service_mgr=systemd', '',
    ].join('\n');
    expect(parseHostFacts({ code: 0, stdout, stderr: '' })).toEqual({
      hostname: 'web02', fqdn: 'web02', distribution: 'Debian', distribution_version: '12', distribution_major_version: '12',
      distribution_release: 'bookworm', os_family: 'Debian', architecture: 'x86_64', kernel: '6.18.44-fc-v782', processor_count: 2,
      memtotal_mb: 24105, user_id: 'vagrant', default_ipv4: { interface: 'eth0', address: '10.0.3.112' },
      all_ipv4_addresses: ['10.0.3.112', '192.168.56.12'],
      interfaces_ipv4: { eth0: { address: '10.0.3.112' }, eth1: { address: '192.168.56.12' } }, service_mgr: 'systemd',
    });
  });
});
