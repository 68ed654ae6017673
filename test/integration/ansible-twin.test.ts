// The Ansible twin (bench/ansible) is the benchmark's peer: it must do the same work as the site. Run
// after the converged site, Debian's ansible-playbook must find nothing to change on any host (same
// packages, files, services, firewall rules, users, databases), with the same plays and roles, and a
// comparable number of tasks per host. Needs ansible-playbook (.ci/lab-prereqs.sh installs ansible-core).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { provision, recap, repoRoot } from './helpers/cli.js';
import { describeLab, labHostNames, labInventory } from './helpers/lab.js';

const twinDir = join(repoRoot, 'bench', 'ansible');
const hasAnsible = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0;
// Under CI the twin must run: a missing ansible-playbook fails the test instead of skipping it.
const describeTwin = hasAnsible || process.env.CI === 'true' ? describeLab : describe.skip;
if (!hasAnsible && process.env.CI !== 'true') {
  console.warn('ansible-twin.test.ts skipped: ansible-playbook is not installed (apt-get install ansible-core)');
}

interface Play {
  name: string;
  hosts: string;
  serial?: number;
  roles: string[];
}

function plays(file: string): Play[] {
  return (parse(readFileSync(file, 'utf8')) as Play[]).map((p) => ({ name: p.name, hosts: p.hosts, serial: p.serial, roles: p.roles }));
}

interface AnsibleCounts {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

/** ansible-playbook's PLAY RECAP: `host : ok=N changed=N unreachable=N failed=N skipped=N ...`. */
function ansibleRecap(stdout: string): Record<string, AnsibleCounts> {
  const out: Record<string, AnsibleCounts> = {};
  const recapAt = stdout.lastIndexOf('PLAY RECAP');
  expect(recapAt, stdout.slice(-3000)).toBeGreaterThanOrEqual(0);
  for (const m of stdout.slice(recapAt).matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm)) {
    out[m[1]!] = { ok: +m[2]!, changed: +m[3]!, unreachable: +m[4]!, failed: +m[5]!, skipped: +m[6]! };
  }
  return out;
}

describeTwin('the Ansible twin of the site (bench/ansible)', () => {
  let siteTasks: Record<string, number> = {};
  let twin = { code: -1, stdout: '', stderr: '' };

  beforeAll(() => {
    // The site first (converged by earlier tests, so normally a no-op): the twin runs against it.
    const site = provision(['run', 'playbooks/site.yaml', '-i', labInventory, '--json', '--no-retry-file', '--lock-timeout', '300']);
    expect(site.code, site.stderr + site.stdout.slice(-3000)).toBe(0);
    siteTasks = Object.fromEntries(Object.entries(recap(site)).map(([h, c]) => [h, c.ok + c.changed + c.skipped]));
    const res = spawnSync('ansible-playbook', ['site.yml'], {
      cwd: twinDir,
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 40 * 60_000,
    });
    twin = { code: res.status ?? -1, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
    // ansible-playbook takes minutes on the whole site (much longer on a busy machine).
  }, 45 * 60_000);

  it('has the site plays: same names, hosts, serial and roles in the same order', () => {
    expect(plays(join(twinDir, 'site.yml'))).toEqual(plays(join(repoRoot, 'playbooks', 'site.yaml')));
  });

  it('has a twin of every role the site uses, with tasks', () => {
    const roles = plays(join(repoRoot, 'playbooks', 'site.yaml')).flatMap((p) => p.roles);
    for (const role of roles) expect(existsSync(join(twinDir, 'roles', role, 'tasks', 'main.yml')), role).toBe(true);
  });

  it('changes nothing and fails nowhere on the converged site', () => {
    expect(twin.code, twin.stdout.slice(-4000) + twin.stderr.slice(-2000)).toBe(0);
    const counts = ansibleRecap(twin.stdout);
    expect(Object.keys(counts).sort()).toEqual([...labHostNames].sort());
    for (const host of labHostNames) {
      expect(counts[host], host).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    }
  });

  it('runs a comparable number of tasks on each host', () => {
    const counts = ansibleRecap(twin.stdout);
    for (const host of labHostNames) {
      const c = counts[host]!;
      // Ansible counts one "Gathering Facts" per play; provision gathers facts without a task.
      const twinTasks = c.ok + c.changed + c.skipped;
      const siteCount = siteTasks[host]!;
      expect(siteCount, host).toBeGreaterThan(0);
      expect(twinTasks / siteCount, `${host}: twin ${twinTasks} tasks, site ${siteCount}`).toBeGreaterThan(0.85);
      expect(twinTasks / siteCount, `${host}: twin ${twinTasks} tasks, site ${siteCount}`).toBeLessThan(1.2);
    }
  });
});
