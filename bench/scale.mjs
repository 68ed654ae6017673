// Scaling: the no-op run of common + ufw + node_exporter (bench/playbooks/scale.yaml, and the same roles of
// the Ansible twin) on 3, 10 and 30 extra lab hosts, LXC containers made by bench/scale.sh from the lab's
// cached box. Both tools get the same inventory (written to a temp dir), the same forks and the same
// hosts; the containers are converged once, timed at each size with --limit, and always destroyed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCK_TIMEOUT, alternate, provisionConnectionArgs, ansibleDir, ansibleMissing, ansiblePlaybook, benchDir, expectRun, historyDir,
  labStateDir, provision, root,
} from './lib.mjs';

const FORKS = '10';
const helper = join(benchDir, 'scale.sh');
const name = (i) => `bench-${String(i).padStart(2, '0')}`;

function inventoryYaml(count, knownHosts) {
  const hosts = Array.from({ length: count }, (_, k) => `        ${name(k + 1)}:\n          ansible_host: 192.168.56.${101 + k}`);
  return `# Written by bench/scale.mjs: the scaling bench's containers (bench/scale.sh).
all:
  vars:
    ansible_user: vagrant
    ansible_ssh_private_key_file: ${labStateDir}/id_vagrant
    ansible_become: true
    provision_known_hosts_file: ${knownHosts}
    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHosts}
    node_exporter_port: 9100
    ufw_ssh_port: 22
    # As the lab: mon01 scrapes every exporter, through this one rule.
    monitoring_hosts: [192.168.56.14]
    ufw_rules:
      - { port: 9100, proto: tcp, from: [192.168.56.14], comment: node_exporter }
  children:
    bench:
      hosts:
${hosts.join('\n')}
`;
}

const ANSIBLE_PLAY = `# Written by bench/scale.mjs: the twin of bench/playbooks/scale.yaml.
- name: baseline, firewall and monitoring on the bench hosts
  hosts: all
  become: true
  roles:
    - common
    - ufw
    - node_exporter
`;

function sh(args) {
  const r = spawnSync('bash', [helper, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench/scale.sh ${args[0]} exited ${r.status}`);
}

export function scale(opts) {
  const sizes = (opts.hosts ?? (opts.quick ? '3' : '3,10,30')).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 99)) throw new Error(`--hosts: sizes 1..99, got ${opts.hosts}`);
  const max = Math.max(...sizes);
  const why = ansibleMissing('site.yml');
  const dir = mkdtempSync(join(tmpdir(), 'provision-bench-scale-'));
  const knownHosts = join(dir, 'known_hosts');
  const inventory = join(dir, 'inventory.yaml');
  const destroy = () => spawnSync('bash', [helper, 'destroy'], { stdio: 'inherit' });
  const onSignal = () => {
    destroy();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    sh(['create', String(max), knownHosts]);
    writeFileSync(inventory, inventoryYaml(max, knownHosts));
    writeFileSync(join(dir, 'scale.yml'), ANSIBLE_PLAY);
    for (const n of sizes) writeFileSync(join(dir, `limit-${n}`), Array.from({ length: n }, (_, k) => name(k + 1)).join('\n') + '\n');
    const provisionArgs = (extra) => ['run', join(benchDir, 'playbooks/scale.yaml'), '-i', inventory, '--roles-path', join(root, 'roles'), '-f', FORKS, ...LOCK_TIMEOUT, '--history-dir', historyDir, '--no-retry-file', ...provisionConnectionArgs(), ...extra];
    const ansibleArgs = (extra) => [join(dir, 'scale.yml'), '-i', inventory, '-f', FORKS, ...extra];
    // ansible.cfg's ssh_args name the lab's known_hosts (and come before the inventory's): the same
    // settings with the bench hosts' file.
    const ansibleEnv = {
      env: {
        ANSIBLE_ROLES_PATH: join(ansibleDir, 'roles'),
        ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`,
      },
    };

    console.error(`  converging ${max} hosts once (provision)`);
    expectRun('provision converge', provision(provisionArgs([])), {});
    const rows = [];
    for (const n of sizes) {
      const limit = ['--limit', `@${join(dir, `limit-${n}`)}`];
      console.error(`  ${n} hosts`);
      const s = alternate(opts, {
        provision: () => {
          const r = provision(provisionArgs(limit));
          expectRun('provision', r, { changed: 0 });
          return { ms: r.ms, guestMs: r.guestMs };
        },
        ansible: why
          ? null
          : () => {
              const r = ansiblePlaybook(ansibleArgs(limit), ansibleEnv);
              expectRun('ansible', r, { changed: 0 });
              return { ms: r.ms, guestMs: r.guestMs };
            },
      });
      rows.push({ n, ...s });
    }
    const base = rows[0];
    console.log(`\n### Scaling: no-op common + ufw + node_exporter, forks ${FORKS}\n`);
    console.log(
      "| hosts | provision s, median (min-max) | vs smallest | ansible-playbook s, median (min-max) | vs smallest | ansible/provision | guests' CPU s per host, provision / ansible |",
    );
    console.log('|---|---|---|---|---|---|---|');
    const perHost = (s, n) => (s?.guestCpu ? (s.guestCpu.median / 1000 / n).toFixed(2) : '-');
    const f = (s) => `${(s.median / 1000).toFixed(2)} (${(s.min / 1000).toFixed(2)}-${(s.max / 1000).toFixed(2)})`;
    for (const r of rows) {
      const a = r.ansible;
      console.log(
        `| ${r.n} | ${f(r.provision)} | ${(r.provision.median / base.provision.median).toFixed(2)}x | ${a ? f(a) : '-'} | ${a ? `${(a.median / base.ansible.median).toFixed(2)}x` : '-'} | ${a ? `${(a.median / r.provision.median).toFixed(1)}x` : '-'} | ${perHost(r.provision, r.n)} / ${perHost(a, r.n)} |`,
      );
    }
    if (why) console.log(`\nNo Ansible figures: ${why}.`);
  } finally {
    destroy();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(dir, { recursive: true, force: true });
  }
}
