// The no-op site run with 50 ms added to every round trip, for both tools. The tools run in a network
// namespace of their own in which the lab's addresses are local and served by bench/slow-proxy.mjs,
// which hands each connection to a delaying proxy outside: the inventory, ansible_host (which the
// templates use) and the known host keys stay exactly the lab's, and nothing else on the machine is
// slowed. The namespace, the proxies and anything left in the namespace are removed at the end.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCK_TIMEOUT, alternate, provisionConnectionArgs, ansibleDir, ansibleMissing, benchDir, expectRun, historyDir, labInventory, printTable,
  root, timed,
} from './lib.mjs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
};

/** The lab's hosts and addresses, from the inventory as provision reads it. */
function labHosts() {
  const list = JSON.parse(run(process.execPath, [join(root, 'bin/provision.js'), 'inventory', '-i', labInventory, '--list']));
  return Object.entries(list._meta.hostvars).map(([name, v]) => ({ name, address: v.ansible_host ?? name }));
}

function startProxy(args) {
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`slow-proxy exited ${code} before it was ready`)));
    child.stdout.once('data', (d) => (String(d).includes('ready') ? resolve(child) : reject(new Error(String(d)))));
  });
}

/** Sets up the namespace and proxies, calls fn(inNamespace), and always takes everything down. */
export async function withSlowNetwork(delayMs, fn) {
  const ns = `provbench${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'provision-bench-slow-'));
  const hosts = labHosts();
  const children = [];
  run('ip', ['netns', 'add', ns]);
  try {
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    for (const h of hosts) run('ip', ['-n', ns, 'addr', 'add', `${h.address}/32`, 'dev', 'lo']);
    // The blackbox role reads the lab's ACME root on the control machine (127.0.0.1:15000): passed
    // through without delay, as it is local.
    const outer = [...hosts.map((h) => `${h.name}=${h.address}:22@${delayMs}`), 'acme=127.0.0.1:15000@0'];
    const inner = [...hosts.map((h) => `${h.name}=${h.address}:22`), 'acme=127.0.0.1:15000'];
    const proxy = join(benchDir, 'slow-proxy.mjs');
    children.push(await startProxy([process.execPath, proxy, '--outer', dir, ...outer]));
    children.push(await startProxy(['ip', 'netns', 'exec', ns, process.execPath, proxy, '--inner', dir, ...inner]));
    const inNamespace = (cmd, args, opts) => timed('ip', ['netns', 'exec', ns, cmd, ...args], opts);
    return await fn(inNamespace);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    // ssh ControlPersist masters started in the namespace by the Ansible runs: ours, ended by pid.
    const left = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
    for (const pid of left) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {}
    }
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function slowNetwork(opts) {
  const why = ansibleMissing('site.yml');
  const controlDir = mkdtempSync(join(tmpdir(), 'provision-bench-cp-'));
  try {
    await withSlowNetwork(25, (inNs) => {
      const provisionArgs = [join(root, 'bin/provision.js'), 'run', 'playbooks/site.yaml', '-i', labInventory, ...LOCK_TIMEOUT, '--history-dir', historyDir, '--no-retry-file', ...provisionConnectionArgs()];
      const ansibleEnv = {
        ...process.env,
        ANSIBLE_CONFIG: join(ansibleDir, 'ansible.cfg'),
        ANSIBLE_NOCOLOR: '1',
        // Fresh ControlPersist masters, inside the namespace: never one from a run outside it.
        ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
      };
      const s = alternate(opts, {
        provision: () => {
          // Its masters too are made inside the namespace, in a folder of their own.
          const r = inNs(process.execPath, provisionArgs, { env: { ...process.env, NO_COLOR: '1', PROVISION_CONTROL_PATH_DIR: join(controlDir, 'provision') } });
          expectRun('provision', r, { changed: 0 });
          return { ms: r.ms, guestMs: r.guestMs };
        },
        ansible: why
          ? null
          : () => {
              const r = inNs('ansible-playbook', ['site.yml'], { cwd: ansibleDir, env: ansibleEnv });
              expectRun('ansible', r, { changed: 0 });
              return { ms: r.ms, guestMs: r.guestMs };
            },
      });
      printTable('No-op rerun of the whole site, 50 ms added to every round trip', [{ name: 'site, no-op, +50 ms RTT', ...s }], why ? [`No Ansible figure: ${why}.`] : []);
    });
  } finally {
    rmSync(controlDir, { recursive: true, force: true });
  }
}
