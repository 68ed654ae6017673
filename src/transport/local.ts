// `ansible_connection: local`: the same persistent-shell protocol over a child process on this machine.

import { spawn } from 'node:child_process';
import { homedir, userInfo } from 'node:os';
import { ConnectionError } from '../core/errors.js';
import type { ShellChannel } from './shell-session.js';
import { ShellTransport } from './shell-transport.js';

export interface LocalTransportOptions {
  becomePassword?: string;
  /** Wait this long for a shell (sudo included) to start. */
  startTimeoutMs?: number;
}

export class LocalTransport extends ShellTransport {
  private readonly user = userInfo().username;

  constructor(
    readonly host: string,
    private readonly options: LocalTransportOptions = {},
  ) {
    super();
  }

  async connect(): Promise<void> {
    // Nothing to open: shells start on first use.
  }

  protected loginUser(): string {
    return this.user;
  }

  protected becomePassword(): string | undefined {
    return this.options.becomePassword;
  }

  protected shellStartTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 20_000;
  }

  protected async checkConnection(): Promise<void> {
    // A local shell has no connection to lose.
  }

  protected startProcess(argv: string[]): Promise<ShellChannel> {
    const [program, ...args] = argv;
    if (!program) throw new Error('internal: empty argv');
    // Own process group: a Ctrl-C on the terminal reaches provision only, which ends commands itself.
    const child = spawn(program, args, { cwd: homedir(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    return new Promise<ShellChannel>((resolve, reject) => {
      child.once('error', (e) => reject(new ConnectionError(this.host, `cannot start ${program}: ${e.message}`)));
      child.once('spawn', () => {
        // Writes after the shell died must not crash the process: the session reports the close.
        child.stdin.on('error', () => undefined);
        resolve({
          write: (data) => void child.stdin.write(data),
          onStdout: (l) => void child.stdout.on('data', l),
          onStderr: (l) => void child.stderr.on('data', l),
          onClose: (l) => void child.once('close', (code) => l(code)),
          end: () => void child.stdin.end(),
          destroy: () => {
            child.stdin.end();
            child.kill('SIGKILL');
          },
        });
      });
    });
  }
}
