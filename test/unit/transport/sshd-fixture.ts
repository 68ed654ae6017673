// A private sshd on 127.0.0.1 for the SSH tests and the benchmark: temp host key, temp client key,
// temp config and pid file. Nothing on the machine changes: when /run/sshd (sshd's privilege separation
// directory) is missing, sshd runs in its own mount namespace with a private tmpfs on /run.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

import type { ConnectionSettings } from '../../../src/transport/types.js';

export const SSHD = '/usr/sbin/sshd';

export interface SshdFixture {
  port: number;
  user: string;
  dir: string;
  clientKeyFile: string;
  /** A known_hosts file that already holds the fixture's host key. */
  knownHostsFile: string;
  /** The host key line (`[127.0.0.1]:port ssh-ed25519 AAAA...`). */
  hostKeyLine: string;
  stop(): Promise<void>;
}

/** Why the fixture cannot run here, or undefined when it can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} not found (Debian package openssh-server)`;
  if (spawnSync('ssh-keygen', ['-?']).error) return 'ssh-keygen not found (Debian package openssh-client)';
  if (!existsSync('/run/sshd') && !canUnshare()) {
    return '/run/sshd is missing and no private mount namespace is possible (needs root and unshare)';
  }
  return undefined;
}

function canUnshare(): boolean {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'true']);
  return r.status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function keygen(file: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'provision-test', '-f', file]);
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr.toString()}`);
}

export async function startSshd(): Promise<SshdFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'provision-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const clientKeyFile = join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKeyFile);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKeyFile}.pub`));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'MaxSessions 20',
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  const sshdArgs = ['-D', '-e', '-f', config];
  const child: ChildProcess = existsSync('/run/sshd')
    ? spawn(SSHD, sshdArgs, { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(
        'unshare',
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount -t tmpfs -o mode=755 provision-test /run && mkdir -m 755 /run/sshd && exec "$0" "$@"',
          SSHD,
          ...sshdArgs,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${log}`));
    });
  });
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const hostKeyLine = `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}`;
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `${hostKeyLine}\n`);
  return {
    port,
    user: userInfo().username,
    dir,
    clientKeyFile,
    knownHostsFile,
    hostKeyLine,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connection settings for the fixture's sshd: its user, client key and known_hosts file, then `over`. */
export function fixtureSettings(f: SshdFixture, over: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    host: 'fixture',
    address: '127.0.0.1',
    port: f.port,
    user: f.user,
    privateKeyFile: f.clientKeyFile,
    connection: 'ssh',
    trustOnFirstUse: false,
    knownHostsFile: f.knownHostsFile,
    connectTimeoutMs: 5000,
    ...over,
  };
}
