// OpenSshTransport (provision_control_persist) against a private sshd on 127.0.0.1: a later run's shells
// use the master connection an earlier run left, and ssh's failures become the built-in client's errors.
// Skipped with a message when sshd is not installed, except under CI=true where that is a failure.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, HostKeyError } from '../../../src/core/errors.js';
import { controlPath, opensshArgv, opensshFailure, OpenSshTransport, privateDirProblem } from '../../../src/transport/openssh.js';
import type { ConnectionSettings } from '../../../src/transport/types.js';
import { fixtureSettings, sshdUnavailable, startSshd, type SshdFixture } from './sshd-fixture.js';

const unavailable = sshdUnavailable();
if (unavailable) {
  if (process.env.CI === 'true') throw new Error(`OpenSSH transport tests cannot run under CI: ${unavailable}`);
  console.warn(`skipping OpenSSH transport tests: ${unavailable}`);
}

const base: ConnectionSettings = {
  host: 'h',
  address: '192.0.2.7',
  port: 2222,
  user: 'deploy',
  privateKeyFile: '/keys/id',
  connection: 'ssh',
  trustOnFirstUse: false,
  knownHostsFile: '/kh',
  connectTimeoutMs: 15_000,
};

describe('the ssh command line', () => {
  it('shares a master per login and checks the host key against the inventory known_hosts file', () => {
    const argv = opensshArgv(base, 60, '/cp', 'bash -c true');
    expect(argv.slice(0, 2)).toEqual(['ssh', '-T']);
    expect(argv.slice(-7)).toEqual(['-p', '2222', '-l', 'deploy', '--', '192.0.2.7', 'bash -c true']);
    const options = argv.filter((_, i) => argv[i - 1] === '-o');
    expect(options).toEqual(
      expect.arrayContaining([
        'BatchMode=yes',
        'ControlMaster=auto',
        'ControlPersist=60s',
        `ControlPath=${controlPath(base, '/cp')}`,
        'StrictHostKeyChecking=yes',
        'UserKnownHostsFile=/kh',
        'IdentitiesOnly=yes',
        'IdentityFile=/keys/id',
        'ConnectTimeout=15',
      ]),
    );
  });

  it('gives another master to another key or known_hosts file', () => {
    const path = controlPath(base, '/cp');
    expect(controlPath({ ...base }, '/cp')).toBe(path);
    expect(controlPath({ ...base, knownHostsFile: '/other' }, '/cp')).not.toBe(path);
    expect(controlPath({ ...base, privateKeyFile: '/keys/other' }, '/cp')).not.toBe(path);
    expect(controlPath({ ...base, port: 22 }, '/cp')).not.toBe(path);
  });

  it("maps ssh's messages to the built-in client's errors", () => {
    const where = 'deploy@192.0.2.7:2222';
    expect(opensshFailure('h', where, 'No ED25519 host key is known for [192.0.2.7]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n', 15_000)).toBeInstanceOf(HostKeyError);
    const auth = opensshFailure('h', where, 'deploy@192.0.2.7: Permission denied (publickey).\r\n', 15_000);
    expect(auth).not.toBeInstanceOf(HostKeyError);
    expect(auth.message).toMatch(/authentication failed/);
    expect(opensshFailure('h', where, 'ssh: connect to host 192.0.2.7 port 2222: Connection timed out\r\n', 15_000).message).toMatch(/no SSH answer within 15000 ms/);
    expect(opensshFailure('h', where, 'ssh: connect to host 192.0.2.7 port 2222: Connection refused\r\n', 15_000).message).toBe(
      'h: cannot connect to deploy@192.0.2.7:2222: ssh: connect to host 192.0.2.7 port 2222: Connection refused',
    );
  });

  it('refuses a socket directory that others can enter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-cp-'));
    try {
      expect(privateDirProblem(join(dir, 'cp'))).toBeUndefined();
      chmodSync(join(dir, 'cp'), 0o755);
      expect(privateDirProblem(join(dir, 'cp'))).toMatch(/must be this user's and mode 0700/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(unavailable !== undefined)('OpenSshTransport (loopback sshd)', { timeout: 30_000 }, () => {
  let f: SshdFixture;
  let cp: string;
  const open: OpenSshTransport[] = [];
  const settings = (over: Partial<ConnectionSettings> = {}): ConnectionSettings => fixtureSettings(f, over);
  const transport = (over: Partial<ConnectionSettings> = {}): OpenSshTransport => {
    const t = new OpenSshTransport(settings(over), 30, cp);
    open.push(t);
    return t;
  };
  /** The client side of the TCP connection a command ran on (`$SSH_CONNECTION`'s address and port). */
  const clientEnd = async (t: OpenSshTransport): Promise<string> => {
    const r = await t.exec('set -- $SSH_CONNECTION; echo "$1:$2"');
    expect(r.code).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    f = await startSshd();
    cp = mkdtempSync(join(tmpdir(), 'provision-cp-'));
    chmodSync(cp, 0o700);
  }, 20_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  afterAll(async () => {
    // The masters this file started end with it (as they would 30 s after their last use).
    for (const s of [settings(), settings({ knownHostsFile: join(f.dir, 'wrong_known_hosts') })]) {
      spawnSync('ssh', ['-o', `ControlPath=${controlPath(s, cp)}`, '-O', 'exit', 'fixture'], { stdio: 'ignore' });
    }
    await f?.stop();
    rmSync(cp, { recursive: true, force: true });
  });

  it("a later run's shell uses the connection an earlier run left open", async () => {
    const first = transport();
    await first.connect();
    const end = await clientEnd(first);
    await first.close();
    const check = spawnSync('ssh', ['-o', `ControlPath=${controlPath(settings(), cp)}`, '-O', 'check', 'fixture'], { encoding: 'utf8' });
    expect(check.stderr).toMatch(/Master running/);
    const second = transport();
    await second.connect();
    expect(await clientEnd(second)).toBe(end);
    expect(await second.execBatch(['echo a', 'exit 3'])).toEqual([
      { code: 0, stdout: 'a\n', stderr: '' },
      { code: 3, stdout: '', stderr: '' },
    ]);
  });

  it('a kept connection that stopped answering is closed and reported as a connection failure', async () => {
    const first = transport();
    await first.connect();
    // The sshd process serving the master's connection (the parent of the remote shell), frozen: the
    // host "went away" while its master lives on.
    const served = Number((await first.exec('p=$PPID; while [ "$(cat /proc/$p/comm)" != sshd ]; do set -- $(cat /proc/$p/stat); p=$4; done; echo $p')).stdout.trim());
    await first.close();
    process.kill(served, 'SIGSTOP');
    try {
      const stuck = new OpenSshTransport(settings(), 30, cp, 1500);
      open.push(stuck);
      const error = await stuck.exec('true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(/no answer from .* through the kept SSH connection .*it was closed, the next run connects anew/);
      const check = spawnSync('ssh', ['-o', `ControlPath=${controlPath(settings(), cp)}`, '-O', 'check', 'fixture'], { encoding: 'utf8' });
      expect(check.status).not.toBe(0);
    } finally {
      process.kill(served, 'SIGCONT');
    }
    // The next run connects anew (a new TCP connection) and works.
    expect(await transport().exec('echo ok')).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it('refuses a host whose key is not the one in known_hosts, as the built-in client does', async () => {
    const wrong = join(f.dir, 'wrong_known_hosts');
    writeFileSync(wrong, `[127.0.0.1]:${f.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFZNVHTm2Z7s8uKH0UdS2yTn8rFm0JvqvJ0s0Jr0i9Vb\n`);
    const error = await transport({ knownHostsFile: wrong }).exec('true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyError);
    expect((error as Error).message).toMatch(/host key of .*127\.0\.0\.1.* is unknown or changed/);
  });

  it('reports a key the host refuses as an authentication failure', async () => {
    const other = join(f.dir, 'other_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const error = await transport({ privateKeyFile: other }).exec('true').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(HostKeyError);
    expect((error as Error).message).toMatch(/authentication failed \(ssh: .*Permission denied/);
  });
});
