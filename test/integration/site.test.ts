// Everyday commands against the whole lab: ad hoc exec, one role rerun on some hosts, check mode.
// (The whole site.yaml is converged and verified by stack.test.ts.)

import { expect, it } from 'vitest';
import { provision, recap } from './helpers/cli.js';
import { describeLab, labHostNames, labHosts, labInventory, sshExec } from './helpers/lab.js';

describeLab('everyday commands on the lab', () => {
  it('provision exec prints every hostname', () => {
    const run = provision(['exec', 'hostname', '-i', labInventory]);
    expect(run.code, run.stderr).toBe(0);
    for (const host of labHostNames) expect(run.stdout).toMatch(new RegExp(`^${host} \\| CHANGED >>\\n${host}$`, 'm'));
  });

  it('provision role common converges every host, then changes nothing', () => {
    const first = provision(['role', 'common', '-i', labInventory, '--json']);
    expect(first.code, first.stderr + first.stdout.slice(-2000)).toBe(0);
    const second = provision(['role', 'common', '-i', labInventory, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const counts = recap(second);
    expect(Object.keys(counts).sort()).toEqual([...labHostNames].sort());
    for (const host of labHostNames) expect(counts[host]?.changed, host).toBe(0);
  });

  it('every host resolves the others by name, to their lab address (the common role)', () => {
    const run = provision(['role', 'common', '-i', labInventory, '--json']);
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    for (const host of labHostNames) {
      // A host's own name may resolve to 127.0.1.1 first (Debian's convention): check the others.
      for (const other of labHostNames.filter((h) => h !== host)) {
        expect(sshExec(host, `getent hosts ${other}`), `${other} from ${host}`).toMatch(new RegExp(`^${labHosts[other].replace(/\./g, '\\.')}\\s`));
      }
    }
  });

  it('--limit reruns one role on one host only', () => {
    const run = provision(['role', 'common', '-i', labInventory, '--limit', 'web01', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(recap(run))).toEqual(['web01']);
    expect(recap(run).web01?.changed).toBe(0);
  });

  it('--check --diff after converging predicts no change', () => {
    const run = provision(['role', 'common', '-i', labInventory, '--check', '--diff', '--json']);
    expect(run.code, run.stderr).toBe(0);
    for (const counts of Object.values(recap(run))) expect(counts.changed).toBe(0);
  });
});
