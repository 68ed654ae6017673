// `ansible_connection: local`: the same persistent-shell protocol over a child process on this machine.

import { homedir, userInfo } from 'node:os';
import { ConnectionError } from '../core/errors.js';
import type { ShellChannel } from './shell-session.js';
import { spawnChannel } from './child-channel.js';
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
    return spawnChannel(argv, (e) => new ConnectionError(this.host, `cannot start ${argv[0]}: ${e.message}`), homedir());
  }
}
