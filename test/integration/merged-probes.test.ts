// Probe families on a real guest (Debian's own stat, sha256sum, readlink, dpkg-query and systemd):
// the merged command of each family, split, must give every probe what its own command gives there.
// Read-only, and it stands alone: it names only what every lab guest has from its box (sshd, dpkg,
// systemd), whether or not the site was converged there; nginx's files are there or missing, either way.

import { expect, it } from 'vitest';
import { fileStat } from '../../src/facts/files.js';
import { mysqlDatabase, mysqlUser } from '../../src/facts/mysql.js';
import { packageStates } from '../../src/facts/packages.js';
import { serviceState } from '../../src/facts/services.js';
import type { Probe } from '../../src/facts/types.js';
import { describeLab, sshRun } from './helpers/lab.js';

const host = 'web02';
const run = (command: string) => sshRun(host, command, { sudo: true });

/** The probes' merged command and its split results, against each probe run alone on the host. */
function mergedAndAlone(probes: Probe<unknown>[]) {
  const family = probes[0]?.merge?.family;
  if (!family || !probes.every((p) => p.merge?.family === family)) throw new Error('not one family');
  const inputs = probes.map((p) => p.merge?.input);
  const merged = family.split(run(family.command(inputs)), inputs);
  const alone = probes.map((p) => run(p.command));
  return { merged, alone };
}

describeLab('probe families on a real host', () => {
  it('fileStat: files, a directory, links, missing files', () => {
    const paths = ['/etc/hosts', '/etc/ssh', '/etc/ssh/sshd_config', '/etc/nginx', '/etc/nginx/nginx.conf', '/etc/localtime', '/etc/os-release', '/no/such/file', '/etc/passwd'];
    const { merged, alone } = mergedAndAlone(paths.map((p) => fileStat(p)));
    expect(merged).toEqual(alone);
    const followed = mergedAndAlone(paths.map((p) => fileStat(p, { follow: true })));
    expect(followed.merged).toEqual(followed.alone);
  });

  it('packageStates: installed, absent and unknown packages', () => {
    const { merged, alone } = mergedAndAlone([packageStates(['openssh-server', 'nginx']), packageStates(['curl', 'no-such-package']), packageStates(['libc6'])]);
    expect(merged).toEqual(alone);
    expect(alone[0]?.stdout).toMatch(/^openssh-server\tinstalled\t/m);
  });

  it('serviceState: running, static and unknown units', () => {
    const { merged, alone } = mergedAndAlone(['ssh', 'nginx.service', 'no-such-unit', 'systemd-journald'].map(serviceState));
    expect(merged).toEqual(alone);
    expect(alone[0]?.stdout).toMatch(/^ActiveState=active$/m);
    expect(alone[2]?.stdout).toMatch(/^LoadState=not-found$/m);
  });

  it('serviceState: a unit systemctl refuses is not split (the probes run one by one: its own error stays its own)', () => {
    const probes = [serviceState('ssh'), serviceState('getty@')];
    const family = probes[0]?.merge?.family;
    expect(probes[1]?.merge?.family).toBe(family);
    const inputs = probes.map((p) => p.merge?.input);
    expect(family?.split(run(family.command(inputs)), inputs)).toBeUndefined();
    expect(() => probes[1]?.parse(run(probes[1].command))).toThrow(/systemctl show failed: .*getty@/);
  });

  it('mysql: existing and missing accounts and databases in one client run (or none, on a guest without MariaDB)', () => {
    // MariaDB is there once the site converged on web01; before, every member meets the same missing client.
    const probes = [mysqlUser('root', 'localhost'), mysqlUser('nobody', 'no.such.host'), mysqlDatabase('mysql'), mysqlDatabase('no_such_db'), mysqlUser('nobody2', '%')];
    const family = probes[0]?.merge?.family;
    const inputs = probes.map((p) => p.merge?.input);
    const merged = family?.split(sshRun('web01', family.command(inputs), { sudo: true }), inputs);
    const alone = probes.map((p) => sshRun('web01', p.command, { sudo: true }));
    expect(merged).toEqual(alone);
  });
});
