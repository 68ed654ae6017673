// Every module against a real lab host, Molecule's way: --check predicts, converge changes,
// idempotence changes nothing (and costs at most one round trip per no-op task), verify with real
// clients over ssh, then clean up so the next run starts fresh.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { changedTasks, provision, recap, taskResults, type CliRun } from './helpers/cli.js';
import { describeLab, labInventory, sshExec } from './helpers/lab.js';

const target = 'web02';
const suffix = randomBytes(3).toString('hex');
const scratch = `/tmp/provision-it-${suffix}`;
const vars = ['-e', `target=${target} scratch=${scratch} suffix=${suffix} swappiness=17`];
const playbook = 'test/fixtures/integration/modules.yaml';
const run = (...extra: string[]) => provision(['run', playbook, '-i', labInventory, ...vars, '--json', '--no-retry-file', '--lock-timeout', '300', ...extra]);

describeLab('modules on a real host', () => {
  // Molecule's sequence runs once, in order, before the checks: each `it` below asserts on what its step
  // recorded, so any one of them passes or fails alone (`-t`), whatever ran before it.
  let check: CliRun;
  let afterCheck = { scratch: '', unit: '' };
  let first: CliRun;
  let second: CliRun;
  beforeAll(() => {
    check = run('--check', '--diff');
    afterCheck = {
      scratch: sshExec(target, `test -e ${scratch} && echo present || echo absent`).trim(),
      unit: sshExec(target, `systemctl cat provision-it-${suffix} >/dev/null 2>&1 && echo present || echo absent`).trim(),
    };
    first = run();
    // Planned one task at a time: the round trips below are each module's own cost (with the default
    // window the tasks planned together share theirs; probe-window.test.ts compares both ways).
    second = run('--probe-window', '1');
  });
  afterAll(() => {
    const cleanup = provision(['run', 'test/fixtures/integration/cleanup.yaml', '-i', labInventory, ...vars, '--json', '--no-retry-file', '--lock-timeout', '300']);
    expect(cleanup.code, cleanup.stderr).toBe(0);
  });

  it('--check predicts changes and changes nothing', () => {
    expect(check.code, check.stderr + check.stdout).toBe(0);
    expect(changedTasks(check, target).length).toBeGreaterThan(10);
    // Nothing was made: the scratch area and the unit did not exist after the check run.
    expect(afterCheck).toEqual({ scratch: 'absent', unit: 'absent' });
  });

  it('the first run changes exactly what --check predicted', () => {
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(changedTasks(first, target)).toEqual(changedTasks(check, target));
    expect(recap(first)[target]?.failed).toBe(0);
  });

  it('the second run changes nothing, one round trip at most per task', () => {
    expect(second.code, second.stderr).toBe(0);
    expect(recap(second)[target]?.changed).toBe(0);
    const costly = taskResults(second, target).filter((r) => r.task !== 'Gathering Facts' && r.round_trips > 1);
    expect(costly.map((r) => `${r.task}: ${r.round_trips}`)).toEqual([]);
  });

  it('the host is as described (verified with real clients)', () => {
    expect(sshExec(target, `cat ${scratch}/etc/app.ini`)).toMatch(new RegExp(`host=${target}\\b[\\s\\S]*port=80\\nport=443`));
    expect(sshExec(target, `readlink ${scratch}/app.ini`).trim()).toBe(`${scratch}/etc/app.ini`);
    expect(sshExec(target, `stat -c %a ${scratch}/etc/app.conf`).trim()).toBe('640');
    expect(sshExec(target, `sudo cat ${scratch}/etc/app.conf`)).toBe('listen=8080\n');
    expect(sshExec(target, `cat ${scratch}/etc/extra.conf`)).toBe('workers=4\n# BEGIN ANSIBLE MANAGED BLOCK\n[extra]\nenabled=true\n# END ANSIBLE MANAGED BLOCK\n');
    expect(sshExec(target, `systemctl is-active provision-it-${suffix}`).trim()).toBe('active');
    expect(sshExec(target, `systemctl is-enabled provision-it-${suffix}`).trim()).toBe('enabled');
    expect(sshExec(target, `id -gn pit${suffix}`).trim()).toBe(`pit${suffix}`);
    expect(sshExec(target, `dpkg-query -W -f='\${Status}' tree`).trim()).toBe('install ok installed');
    expect(sshExec(target, `cat ${scratch}/sysctl.conf`)).toContain('vm.swappiness=17');
    expect(sshExec(target, `cat ${scratch}/built.txt`).trim()).toBe('built');
  });
});
