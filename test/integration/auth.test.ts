// Authentication paths real users have (issue 9, item 8), on lb02 only: a user of its own whose sudo
// needs a password, SSH password login (a `Match User` drop-in when sshd refuses passwords),
// ssh-agent, and the clear, prompt failures of a wrong or missing password. Everything made on lb02
// (the user, the drop-in, a scratch folder) is undone in afterAll. Each `it` stands alone.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectionSettingsFromVars } from '../../src/transport/index.js';
import { controlPath } from '../../src/transport/openssh.js';
import { repoRoot } from './helpers/cli.js';
import { describeLab, labHosts, labKnownHostsFile, sshRun, sshRunAsync } from './helpers/lab.js';

const host = 'lb02';
const suffix = randomBytes(4).toString('hex');
const user = `pvauth_${suffix}`;
/** The user's one password: its SSH login and its sudo. */
const password = `pw-${randomBytes(12).toString('hex')}`;
const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
const scratch = `/tmp/pvauth-${suffix}`;
const dropIn = `/etc/ssh/sshd_config.d/pvauth-${suffix}.conf`;
const playbook = 'test/fixtures/integration/auth.yaml';
const bin = `${repoRoot}bin/provision.js`;
/**
 * Generous: a run that fails authentication ends in seconds; this only tells "ended" from "hung". Such
 * a run never waits for lb02's run lock (taken only once the shell, sudo included, started); a run
 * that succeeds may wait for it up to --lock-timeout (other runs use the lab too), hence its limit.
 */
const hangLimitMs = 120_000;
const successLimitMs = 15 * 60_000;
const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

let work = '';
let keyFile = '';
let emptyHome = '';
/** Whether lb02's sshd needed (and got) the drop-in allowing this user's password. */
let addedDropIn = false;

interface Run {
  code: number | null;
  /** Killed by the hang limit. */
  killed: boolean;
  stdout: string;
  output: string;
}

/** Runs the CLI as a user would, with no key of this machine's user (HOME is empty) and no agent unless given. */
function provision(args: string[], limitMs: number, agentSocket?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', HOME: emptyHome };
  delete env.SSH_AUTH_SOCK;
  if (agentSocket) env.SSH_AUTH_SOCK = agentSocket;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, timeout: limitMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, killed: signal !== null, stdout, output: stdout + stderr }));
    child.stdin.end();
  });
}

/** An inventory with lb02 logging in as the test's user, plus `vars`. */
function inventory(name: string, vars: Record<string, unknown>): string {
  const file = join(work, `${name}.yaml`);
  const lb02 = { ansible_host: labHosts.lb02, ansible_user: user, provision_known_hosts_file: labKnownHostsFile, ...vars };
  writeFileSync(file, JSON.stringify({ all: { hosts: { lb02 } } }, null, 2));
  return file;
}

/** `provision run auth.yaml` expecting the tasks to run as `expectedUser`, touching scratch/marker. */
function runArgs(inventoryFile: string, expectedUser: string, marker: string, ...extra: string[]): string[] {
  return [
    'run', playbook, '-i', inventoryFile, '--lock-timeout', '300', '--no-retry-file',
    '-e', JSON.stringify({ expected_user: expectedUser, scratch, marker }), ...extra,
  ];
}

function root(command: string, input?: string): string {
  const res = sshRun(host, command, { sudo: true, ...(input !== undefined ? { input } : {}), timeoutMs: 60_000 });
  expect(res.code, `${command}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

/** After a reload, sshd re-executes itself and refuses connections for a moment. */
function waitForSshd(): void {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (sshRun(host, 'true', { timeoutMs: 15_000 }).code === 0) return;
    spawnSync('sleep', ['0.5']);
  }
}

/** Owner of a file in the scratch folder, or '' when it does not exist. */
function ownerOf(marker: string): string {
  return root(`stat -c %U ${scratch}/${marker} 2>/dev/null || true`).trim();
}

/** sudo forgets the user's earlier successful password (its timestamp), so a test sees sudo ask. */
function forgetSudoTimestamp(): void {
  root(`rm -f /run/sudo/ts/${user} /var/run/sudo/ts/${user}`);
}

function expectCleanFailure(run: Run, message: RegExp): void {
  expect(run.killed, `the run hung:\n${run.output}`).toBe(false);
  expect(run.code, run.output).not.toBe(0);
  expect(run.output).toMatch(message);
  expect(run.output).not.toMatch(stackTrace);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'provision-auth-'));
  emptyHome = join(work, 'home');
  mkdirSync(join(emptyHome, '.ssh'), { recursive: true });
  keyFile = join(work, 'id_pvauth');
  const keygen = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `provision-auth-${suffix}`, '-f', keyFile], { encoding: 'utf8' });
  expect(keygen.status, keygen.stderr).toBe(0);
  // In group sudo, whose rule (%sudo ALL=(ALL:ALL) ALL) asks for the user's password.
  root(`useradd -m -s /bin/bash -G sudo ${user}`);
  root(`chpasswd`, `${user}:${password}\n`);
  root(
    `install -d -m 700 -o ${user} -g ${user} /home/${user}/.ssh && cat > /home/${user}/.ssh/authorized_keys && ` +
      `chown ${user}: /home/${user}/.ssh/authorized_keys && chmod 600 /home/${user}/.ssh/authorized_keys`,
    readFileSync(`${keyFile}.pub`, 'utf8'),
  );
  root(`install -d -m 1777 ${scratch}`);
  // Password login for this user only. sshd's reload makes it refuse connections for a moment (other
  // runs may use lb02 too): done only when its configuration refuses this user's password.
  if (/^passwordauthentication no$/m.test(root(`sshd -T -C user=${user},host=control,addr=192.168.56.1`))) {
    addedDropIn = true;
    root(`printf 'Match User %s\\n  PasswordAuthentication yes\\n' ${user} > ${dropIn} && sshd -t && systemctl reload ssh`);
    waitForSshd();
  }
  expect(root(`sshd -T -C user=${user},host=control,addr=192.168.56.1`)).toMatch(/^passwordauthentication yes$/m);
});

afterAll(() => {
  try {
    const cleanup = [
      ...(addedDropIn ? [`rm -f ${dropIn} && sshd -t && systemctl reload ssh`] : []),
      `rm -rf ${scratch} /run/sudo/ts/${user} "/tmp/provision-state-$(id -u ${user})"`,
      `userdel -f -r ${user} 2>/dev/null; true`,
    ];
    for (const command of cleanup) {
      sshRun(host, command, { sudo: true, timeoutMs: 60_000 });
      waitForSshd();
    }
    const left = sshRun(host, `getent passwd ${user}; ls -d ${dropIn} ${scratch} /home/${user} 2>/dev/null; true`, { sudo: true });
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout.trim(), 'lb02 is left as it was').toBe('');
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
});

describeLab('authentication paths on lb02', () => {
  it('sudo that needs a password: become with ansible_become_password runs the tasks as root', async () => {
    expect(root(`sudo -l -U ${user}`)).not.toMatch(/NOPASSWD/);
    forgetSudoTimestamp();
    const inv = inventory('become', { ansible_ssh_private_key_file: keyFile, ansible_become: true, ansible_become_password: password });
    const run = await provision(runArgs(inv, 'root', 'become-ok', '--no-history'), successLimitMs);
    expect(run.killed, run.output).toBe(false);
    expect(run.code, run.output).toBe(0);
    expect(ownerOf('become-ok')).toBe('root');
  });

  it('a wrong become password fails the host with a clear message, at once', async () => {
    forgetSudoTimestamp();
    const inv = inventory('wrong-become', { ansible_ssh_private_key_file: keyFile, ansible_become: true, ansible_become_password: wrongPassword });
    const run = await provision(runArgs(inv, 'root', 'wrong-become', '--no-history'), hangLimitMs);
    // The host is named once, beside the failure (fatal: [lb02]: FAILED! => become ...).
    expectCleanFailure(run, /\[lb02\]: FAILED! => become \(sudo\) to user 'root' failed: incorrect become password \(ansible_become_password\)/);
    expect(run.output).not.toContain(wrongPassword);
    expect(ownerOf('wrong-become')).toBe('');
  });

  it('no become password where sudo needs one: the message says to set ansible_become_password', async () => {
    forgetSudoTimestamp();
    const inv = inventory('no-become-password', { ansible_ssh_private_key_file: keyFile, ansible_become: true });
    const run = await provision(runArgs(inv, 'root', 'no-become-password', '--no-history'), hangLimitMs);
    expectCleanFailure(run, /sudo needs a password: set ansible_become_password/);
    expect(ownerOf('no-become-password')).toBe('');
  });

  it('SSH password login with ansible_password and no key; a wrong password is a clear authentication error', async () => {
    const inv = inventory('password', { ansible_password: password });
    const run = await provision(runArgs(inv, user, 'password-ok', '--no-history'), successLimitMs);
    expect(run.killed, run.output).toBe(false);
    expect(run.code, run.output).toBe(0);
    expect(ownerOf('password-ok')).toBe(user);

    const wrong = inventory('wrong-password', { ansible_password: wrongPassword });
    const refused = await provision(runArgs(wrong, user, 'password-wrong', '--no-history'), hangLimitMs);
    expectCleanFailure(refused, new RegExp(`cannot connect to ${user}@192\\.168\\.56\\.13:22: authentication as '${user}' failed \\(tried password\\)`));
    expect(refused.output).not.toContain(wrongPassword);
    expect(ownerOf('password-wrong')).toBe('');
  });

  it('ssh-agent: a key held by the agent (SSH_AUTH_SOCK), none in the inventory', async () => {
    const socket = join(work, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 10_000;
      while (!existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const add = spawnSync('ssh-add', ['-q', keyFile], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: socket } });
      expect(add.status, add.stderr).toBe(0);
      const inv = inventory('agent', {});
      const run = await provision(runArgs(inv, user, 'agent-ok', '--no-history'), successLimitMs, socket);
      expect(run.killed, run.output).toBe(false);
      expect(run.code, run.output).toBe(0);
      expect(ownerOf('agent-ok')).toBe(user);

      // The agent was what let it in: emptied, the same run is refused.
      const clear = spawnSync('ssh-add', ['-D'], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: socket } });
      expect(clear.status, clear.stderr).toBe(0);
      const refused = await provision(runArgs(inv, user, 'agent-empty', '--no-history'), hangLimitMs, socket);
      expectCleanFailure(refused, new RegExp(`authentication as '${user}' failed \\(tried ssh-agent\\)`));
    } finally {
      agent.kill();
    }
  });

  it('provision_control_persist: the next run uses the OpenSSH master the first left, sudo password included', async () => {
    const logins = (): number => Number(root(`journalctl _COMM=sshd --no-pager | grep -c 'Accepted publickey for ${user} ' || true`).trim());
    const before = logins();
    const inv = inventory('persist', { ansible_ssh_private_key_file: keyFile, ansible_become: true, ansible_become_password: password, provision_control_persist: 60 });
    // The socket the runs use (HOME is the test's empty home), from the inventory's connection settings.
    const socket = controlPath(
      connectionSettingsFromVars(host, { ansible_host: labHosts.lb02, ansible_user: user, ansible_ssh_private_key_file: keyFile, provision_known_hosts_file: labKnownHostsFile }),
      join(emptyHome, '.provision', 'cp'),
    );
    const master = (operation: 'check' | 'exit'): string => spawnSync('ssh', ['-o', `ControlPath=${socket}`, '-O', operation, host], { encoding: 'utf8' }).stderr.trim();
    try {
      for (const marker of ['persist-1', 'persist-2']) {
        forgetSudoTimestamp();
        const run = await provision(runArgs(inv, 'root', marker, '--no-history'), successLimitMs);
        expect(run.code, run.output).toBe(0);
        expect(ownerOf(marker)).toBe('root');
        expect(run.output).not.toContain(password);
        expect(master('check')).toMatch(/^Master running \(pid=\d+\)$/);
      }
      // Two runs, one SSH login: the second started its shells on the first one's connection.
      expect(logins() - before).toBe(1);
    } finally {
      master('exit');
    }
  });

  it('the password never appears in -vv text, --json, the history, nor the process list on the host', async () => {
    forgetSudoTimestamp();
    const history = join(work, 'history');
    // The same password for login and sudo, once from the inventory and once from -e.
    const inv = inventory('secrets', { ansible_password: password, ansible_become: true, ansible_become_password: password });
    const text = await provision(runArgs(inv, 'root', 'secrets-text', '-vv', '--diff', '--history-dir', history), successLimitMs);
    expect(text.code, text.output).toBe(0);
    expect(text.output).toContain('secrets-text');

    forgetSudoTimestamp();
    const bare = inventory('secrets-e', {});
    const hold = 4;
    const json = provision(
      runArgs(bare, 'root', 'secrets-json', '-vv', '--json', '--history-dir', history,
        '-e', `ansible_password=${password}`, '-e', 'ansible_become=true', '-e', `ansible_become_password=${password}`, '-e', `hold=${hold}`),
      successLimitMs,
    );
    let ended = false;
    void json.then(() => (ended = true));
    const processLists: string[] = [];
    while (!ended) {
      processLists.push((await sshRunAsync(host, 'ps -eo user,args', { timeoutMs: 20_000 })).stdout);
      await new Promise((r) => setTimeout(r, 250));
    }
    const run = await json;
    expect(run.code, run.output).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('{')).length).toBeGreaterThan(3);
    expect(ownerOf('secrets-json')).toBe('root');

    // The lists were read while the run's root command ran (so they could have shown its arguments).
    expect(processLists.some((list) => new RegExp(`^root\\s+sleep ${hold}$`, 'm').test(list))).toBe(true);
    for (const list of processLists) expect(list).not.toContain(password);
    expect(text.output).not.toContain(password);
    expect(run.output).not.toContain(password);
    const recorded = readdirSync(history);
    expect(recorded).toHaveLength(2);
    for (const file of recorded) {
      const content = readFileSync(join(history, file), 'utf8');
      expect(content.length).toBeGreaterThan(0);
      expect(content, file).not.toContain(password);
    }
  });
});
