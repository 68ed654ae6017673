// `provision_control_persist: SECONDS`: the same persistent shells, started through OpenSSH's `ssh` with
// a shared master connection (ControlMaster=auto, ControlPersist), as Ansible's ssh connection does. The
// first run to a host opens the master; runs within SECONDS of the last use of it start their shells on
// it, without a new handshake, authentication or sshd process on the host. Host keys and keys come from
// the same settings as the built-in client (UserKnownHostsFile, StrictHostKeyChecking=yes, IdentityFile).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError, HostKeyError } from '../core/errors.js';
import { quoteAll } from '../core/shell.js';
import { ShellClosedError, type ShellChannel } from './shell-session.js';
import { spawnChannel } from './child-channel.js';
import { ShellTransport } from './shell-transport.js';
import type { ConnectionSettings } from './types.js';

/** ssh's own exit code for its failures (connection, host key, authentication). */
const SSH_FAILED = 255;

/** Where the master sockets live, like Ansible's ~/.ansible/cp (and its ANSIBLE_SSH_CONTROL_PATH_DIR). */
export function controlPathDir(home = homedir()): string {
  return process.env.PROVISION_CONTROL_PATH_DIR || join(home, '.provision', 'cp');
}

/**
 * One master per login and per way of checking it: ssh's `%C` names user@host:port only, so a run
 * with another known_hosts file or key would use a master that was checked and authenticated by others.
 */
export function controlPath(settings: ConnectionSettings, dir: string): string {
  const identity = [settings.user, settings.address, settings.port, settings.privateKeyFile ?? '', settings.knownHostsFile];
  return join(dir, createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32));
}

/** The `ssh` command line that runs `remoteCommand` on the host through the shared master. */
export function opensshArgv(settings: ConnectionSettings, persistSeconds: number, controlDir: string, remoteCommand: string): string[] {
  const options: Record<string, string> = {
    BatchMode: 'yes',
    ControlMaster: 'auto',
    ControlPersist: `${persistSeconds}s`,
    ControlPath: controlPath(settings, controlDir),
    StrictHostKeyChecking: 'yes',
    UserKnownHostsFile: settings.knownHostsFile,
    ConnectTimeout: String(Math.max(1, Math.ceil(settings.connectTimeoutMs / 1000))),
    // The built-in client's keepalive: a dead peer is found within a minute, not when TCP gives up.
    ServerAliveInterval: '15',
    ServerAliveCountMax: '4',
    ...(settings.privateKeyFile ? { IdentitiesOnly: 'yes', IdentityFile: settings.privateKeyFile } : {}),
  };
  const flags = Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  return ['ssh', '-T', ...flags, '-p', String(settings.port), '-l', settings.user, '--', settings.address, remoteCommand];
}

/** ssh's failure, from what it printed, as the error the built-in client would raise. */
export function opensshFailure(host: string, where: string, stderr: string, connectTimeoutMs: number): ConnectionError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('@'));
  const text = lines.join(' ');
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i.test(stderr)) {
    return new HostKeyError(host, `the SSH host key of ${where} is unknown or changed (ssh: ${lines[lines.length - 1] ?? 'host key verification failed'})`);
  }
  if (/Permission denied/.test(text)) return new ConnectionError(host, `cannot connect to ${where}: authentication failed (ssh: ${text})`);
  if (/timed out/i.test(text)) return new ConnectionError(host, `cannot connect to ${where}: no SSH answer within ${connectTimeoutMs} ms (ssh: ${text})`);
  return new ConnectionError(host, `cannot connect to ${where}: ${text || `ssh exited with ${SSH_FAILED}`}`);
}

export class OpenSshTransport extends ShellTransport {
  readonly host: string;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly persistSeconds: number,
    private readonly controlDir = controlPathDir(),
    /** How long a shell may take to start (default: the built-in client's); tests shorten it. */
    private readonly shellStartLimitMs?: number,
  ) {
    super();
    this.host = settings.host;
  }

  async connect(): Promise<void> {
    // Nothing to open here: the first shell's ssh opens the master, or uses the one a recent run left;
    // its failure is reported as a ConnectionError by checkConnection.
    const unsafe = privateDirProblem(this.controlDir);
    if (unsafe) throw new ConnectionError(this.host, unsafe);
  }

  protected loginUser(): string {
    return this.settings.user;
  }

  protected becomePassword(): string | undefined {
    return this.settings.becomePassword;
  }

  protected shellStartTimeoutMs(): number {
    return this.shellStartLimitMs ?? Math.max(this.settings.connectTimeoutMs, 20_000);
  }

  protected async checkConnection(cause: unknown): Promise<void> {
    if (!(cause instanceof ShellClosedError)) return;
    const where = `${this.settings.user}@${this.settings.address}:${this.settings.port}`;
    if (cause.exitCode === SSH_FAILED) throw opensshFailure(this.host, where, cause.stderr, this.settings.connectTimeoutMs);
    if (cause.exitCode === null && /no answer within/.test(cause.message)) {
      // A master whose host went away answers nothing until its keepalives give up (up to a minute):
      // closed now, so that the next run connects anew instead of waiting on it too.
      await this.stopMaster();
      throw new ConnectionError(this.host, `no answer from ${where} through the kept SSH connection (${cause.message}); it was closed, the next run connects anew`);
    }
  }

  /** Ends this login's master connection (`ssh -O exit`), if one is running. */
  private stopMaster(): Promise<void> {
    const path = controlPath(this.settings, this.controlDir);
    return new Promise((resolve) => {
      const child = spawn('ssh', ['-o', `ControlPath=${path}`, '-O', 'exit', this.settings.address], { stdio: 'ignore' });
      child.once('error', () => resolve());
      child.once('close', () => resolve());
    });
  }

  protected startProcess(argv: string[]): Promise<ShellChannel> {
    // sshd runs this through the login shell: quoteAll keeps the script one argument for any POSIX sh.
    const ssh = opensshArgv(this.settings, this.persistSeconds, this.controlDir, quoteAll(argv));
    return spawnChannel(ssh, (e) => new ConnectionError(this.host, `cannot start ssh (provision_control_persist needs OpenSSH's client): ${e.message}`));
  }
}

/** The socket directory, made 0700 when missing: refused when it is another user's or open to others (its sockets are logins). */
export function privateDirProblem(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  const uid = process.getuid?.();
  if ((uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0) return undefined;
  return `${dir} must be this user's and mode 0700: it holds the SSH master connections of provision_control_persist`;
}
