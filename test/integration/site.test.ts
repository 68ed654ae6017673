// The site playbook and the everyday commands against the whole lab: converge, idempotence, verify.

import { expect, it } from 'vitest';
import { provision, recap } from './helpers/cli.js';
import { describeLab, labHostNames, labInventory, sshExec } from './helpers/lab.js';

describeLab('site and everyday commands on the lab', () => {
  it('provision exec prints the three hostnames', () => {
    const run = provision(['exec', 'hostname', '-i', labInventory]);
    expect(run.code, run.stderr).toBe(0);
    for (const host of labHostNames) expect(run.stdout).toMatch(new RegExp(`^${host} \\| CHANGED >>\\n${host}$`, 'm'));
  });

  it('site.yaml converges, then a second run changes nothing', () => {
    const first = provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--json', '--no-retry-file']);
    expect(first.code, first.stderr + first.stdout.slice(-2000)).toBe(0);
    const second = provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--json', '--no-retry-file']);
    expect(second.code, second.stderr).toBe(0);
    const counts = recap(second);
    expect(Object.keys(counts).sort()).toEqual([...labHostNames].sort());
    for (const host of labHostNames) expect(counts[host]?.changed, host).toBe(0);
  });

  it('every host resolves the others by name (the common role)', () => {
    for (const host of labHostNames) {
      // A host's own name may resolve to 127.0.1.1 first (Debian's convention): check the others.
      for (const other of labHostNames.filter((h) => h !== host)) {
        expect(sshExec(host, `getent hosts ${other}`)).toMatch(/^192\.168\.56\.1[0-2]\s/);
      }
    }
  });

  it('provision role reruns one role on a limited set of hosts', () => {
    const run = provision(['role', 'common', '-i', labInventory, '--limit', 'web01', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const counts = recap(run);
    expect(Object.keys(counts)).toEqual(['web01']);
    expect(counts.web01?.changed).toBe(0);
  });

  it('--check --diff on a converged site predicts no change', () => {
    const run = provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--check', '--diff', '--json', '--no-retry-file']);
    expect(run.code, run.stderr).toBe(0);
    for (const counts of Object.values(recap(run))) expect(counts.changed).toBe(0);
  });
});
