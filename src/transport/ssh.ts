// SSH transport: one node-ssh connection per host for the whole run, persistent shells on exec channels
// (shell-protocol.ts), host keys checked against known_hosts (host-key-policy.ts). node-ssh (ssh2, its
// crypto and agent code) is loaded when the first connection opens, not at start-up: a run that lists
// hosts or only uses local connections never pays for it.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { NodeSSH } from 'node-ssh';
import { ConnectionError, HostKeyError } from '../core/errors.js';
import { quoteAll } from '../core/shell.js';
import type { ConnectionSettings } from './types.js';
import { decideHostKey, loadKnownHosts } from './host-key-policy.js';
import { preferredHostKeyAlgorithms } from './known-hosts.js';
import type { ShellChannel } from './shell-session.js';
import { ShellTransport } from './shell-transport.js';

/** ssh2's host key algorithms, in its default order (ssh2 ships no types to import them from). */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** The identity files ssh tries when none is configured. */
const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The parts of ssh2's (untyped) client and channel that this file uses. */
interface Ssh2Channel extends EventEmitter {
  stderr: EventEmitter;
  write(data: Buffer): boolean;
  end(): void;
  close(): void;
}
interface Ssh2Client extends EventEmitter {
  exec(command: string, callback: (error: Error | undefined, channel: Ssh2Channel) => void): boolean;
  destroy(): void;
}

type AuthAttempt = { type: string; username: string } & Record<string, unknown>;

export class SshTransport extends ShellTransport {
  readonly host: string;
  /** Created by the first open(): loading node-ssh is most of this file's start-up cost. */
  private ssh: NodeSSH | undefined;
  private connecting: Promise<void> | undefined;
  private client: Ssh2Client | undefined;
  private lost: Error | undefined;

  constructor(private readonly settings: ConnectionSettings) {
    super();
    this.host = settings.host;
  }

  connect(): Promise<void> {
    if (this.lost) return Promise.reject(this.connectionLost());
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  /** Opens a fresh exec channel running `command` (used by the benchmark to compare with the shell). */
  async execChannel(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    await this.connect();
    if (!this.ssh) throw this.connectionLost();
    const r = await this.ssh.execCommand(command);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  override async close(): Promise<void> {
    // The shells have exited (their run locks are free) once super.close() returns; nothing on
    // the connection is needed after that.
    await super.close();
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    this.lost = undefined;
    // Closed at once: a graceful end (node-ssh's dispose) half-closes the socket and then waits for
    // the server to close its side, a round trip the process would sit through before it can exit.
    client?.destroy();
    this.ssh?.dispose();
  }

  protected loginUser(): string {
    return this.settings.user;
  }

  protected becomePassword(): string | undefined {
    return this.settings.becomePassword;
  }

  protected shellStartTimeoutMs(): number {
    return Math.max(this.settings.connectTimeoutMs, 20_000);
  }

  protected async checkConnection(): Promise<void> {
    // ssh2 closes the channels before it reports the connection closed: let that report arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.lost || !this.ssh?.isConnected()) throw this.connectionLost();
  }

  protected startProcess(argv: string[]): Promise<ShellChannel> {
    const client = this.client;
    if (!client) return Promise.reject(this.connectionLost());
    return new Promise<ShellChannel>((resolve, reject) => {
      // sshd runs this through the login shell: quoteAll keeps the script one argument for any POSIX sh.
      client.exec(quoteAll(argv), (error, channel) => {
        if (error) {
          reject(new ConnectionError(this.host, `cannot open a channel: ${error.message}`, { cause: error }));
          return;
        }
        resolve({
          write: (data) => void channel.write(data),
          onStdout: (l) => void channel.on('data', l),
          onStderr: (l) => void channel.stderr.on('data', l),
          onClose: (l) => void channel.once('close', (code: unknown) => l(typeof code === 'number' ? code : null)),
          end: () => channel.end(),
          destroy: () => channel.close(),
        });
      });
    });
  }

  private connectionLost(): ConnectionError {
    const why = this.lost?.message ?? 'connection closed';
    return new ConnectionError(this.host, `SSH connection to ${this.where()} lost: ${why}`, { cause: this.lost });
  }

  private where(): string {
    return `${this.settings.user}@${this.settings.address}:${this.settings.port}`;
  }

  private async open(): Promise<void> {
    const s = this.settings;
    const entries = loadKnownHosts(s.knownHostsFile);
    let hostKeyError: HostKeyError | undefined;
    const { attempts, tried } = this.authAttempts();
    this.ssh ??= new (await import('node-ssh')).NodeSSH();
    const ssh = this.ssh;
    try {
      await ssh.connect({
        host: s.address,
        port: s.port,
        username: s.user,
        readyTimeout: s.connectTimeoutMs,
        // Detect a dead peer during a long run instead of waiting for TCP to give up.
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        authHandler: attempts,
        algorithms: {
          serverHostKey: preferredHostKeyAlgorithms(entries, s.address, s.port, HOST_KEY_ALGORITHMS),
        },
        hostVerifier: (key: Buffer) => {
          hostKeyError = decideHostKey(s, key, entries);
          return hostKeyError === undefined;
        },
      });
    } catch (error) {
      ssh.dispose();
      if (hostKeyError) throw hostKeyError;
      throw this.connectError(error, tried);
    }
    const client = ssh.connection as unknown as Ssh2Client;
    this.client = client;
    // node-ssh drops its error listener once connected: without ours a later error would crash the run.
    // After close() the client is no longer ours: its close event is not a loss.
    client.on('error', (error: Error) => {
      if (this.client === client) this.lost ??= error;
    });
    client.on('close', () => {
      if (this.client === client) this.lost ??= new Error('connection closed by the remote host');
    });
  }

  /** Like ssh: the configured key, then the agent, then the default identity files, then a password. */
  private authAttempts(): { attempts: AuthAttempt[]; tried: string[] } {
    const s = this.settings;
    const username = s.user;
    const attempts: AuthAttempt[] = [];
    const tried: string[] = [];
    if (s.privateKeyFile) {
      let key: Buffer;
      try {
        key = readFileSync(s.privateKeyFile);
      } catch (error) {
        throw new ConnectionError(
          s.host,
          `cannot read the private key file ${s.privateKeyFile} (ansible_ssh_private_key_file): ${(error as Error).message}`,
        );
      }
      attempts.push({ type: 'publickey', username, key });
      tried.push(`key ${s.privateKeyFile}`);
    }
    const agent = process.env.SSH_AUTH_SOCK;
    if (agent) {
      attempts.push({ type: 'agent', username, agent });
      tried.push('ssh-agent');
    }
    if (!s.privateKeyFile) {
      for (const name of DEFAULT_KEY_FILES) {
        const file = join(homedir(), '.ssh', name);
        if (!existsSync(file)) continue;
        try {
          attempts.push({ type: 'publickey', username, key: readFileSync(file) });
          tried.push(`key ${file}`);
        } catch {
          // Unreadable default key: skip it, as ssh does.
        }
      }
    }
    if (s.password !== undefined) {
      const password = s.password;
      attempts.push({ type: 'password', username, password });
      attempts.push({
        type: 'keyboard-interactive',
        username,
        prompt: (_n: string, _i: string, _l: string, prompts: unknown[], finish: (r: string[]) => void) =>
          finish(prompts.map(() => password)),
      });
      tried.push('password');
    }
    return { attempts, tried };
  }

  private connectError(error: unknown, tried: string[]): ConnectionError {
    if (error instanceof ConnectionError) return error;
    const e = error as Error & { level?: string; code?: string };
    const message = e?.message ?? String(error);
    let detail: string;
    if (e.level === 'client-authentication') {
      detail =
        tried.length === 0
          ? `no way to authenticate as '${this.settings.user}': set ansible_ssh_private_key_file, start ssh-agent, or set ansible_password`
          : `authentication as '${this.settings.user}' failed (tried ${tried.join(', ')})`;
    } else if (e.level === 'client-timeout' || /timed out/i.test(message)) {
      detail = `no SSH answer within ${this.settings.connectTimeoutMs} ms`;
    } else {
      detail = message;
    }
    return new ConnectionError(this.host, `cannot connect to ${this.where()}: ${detail}`, { cause: error });
  }
}
