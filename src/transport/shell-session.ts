// One running persistent shell (see shell-protocol.ts) over any byte channel: an SSH exec channel or a
// local child process. Requests are pipelined: the shell answers them in order.

import {
  ResponseReader,
  encodeRequest,
  toRawResult,
  type ResponseLine,
  KILL_AFTER_SECONDS,
  type RawResult,
  type ShellCommand,
} from './shell-protocol.js';

/** The few operations a session needs from its channel. */
export interface ShellChannel {
  write(data: Buffer): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  /** Called once when the channel is gone (process exited, channel closed, connection lost). */
  onClose(listener: (exitCode: number | null) => void): void;
  /** Close stdin: the shell finishes and removes its temp dir. */
  end(): void;
  /** Tear the channel down now (stdin closed, process killed where possible). */
  destroy(): void;
}

/** The shell went away: the channel closed, or it was torn down after a hung request. */
export class ShellClosedError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'ShellClosedError';
  }
}

interface Pending {
  id: number;
  commands: readonly ShellCommand[];
  results: RawResult[];
  resolve: (results: RawResult[]) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/** Keep the last few KB of the shell's own stderr for error messages (sudo's complaints, bash errors). */
const STDERR_KEEP = 8192;

export class ShellSession {
  private nextId = 1;
  private readonly pending: Pending[] = [];
  private stderrText = '';
  private closed: ShellClosedError | undefined;
  private readyWaiter:
    | { resolve: () => void; reject: (e: Error) => void; failOn?: RegExp; refuse: () => void }
    | undefined;
  private isReady = false;
  /** The shell's process id on the host (from its ready line). */
  private shellPid: number | undefined;
  /** What the shell's preamble reported before ready (run-lock.ts), '' when nothing. */
  info = '';
  private channelGone = false;
  private markGone: () => void = () => undefined;
  private readonly gone = new Promise<void>((resolve) => {
    this.markGone = resolve;
  });

  constructor(
    private readonly channel: ShellChannel,
    private readonly sentinel: string,
  ) {
    const reader = new ResponseReader(sentinel, (message) => this.onMessage(message));
    channel.onStdout((chunk) => reader.push(chunk));
    channel.onStderr((chunk) => {
      this.stderrText = (this.stderrText + chunk.toString('utf8')).slice(-STDERR_KEEP);
      const waiter = this.readyWaiter;
      if (waiter?.failOn?.test(this.stderrText)) waiter.refuse();
    });
    channel.onClose((code) => {
      this.channelGone = true;
      this.markGone();
      const detail = this.stderrText.trim();
      this.fail(new ShellClosedError(`shell exited${code === null ? '' : ` with code ${code}`}`, detail, code));
    });
  }

  get alive(): boolean {
    return this.closed === undefined;
  }

  /** The shell's pid while it runs requests (undefined before it is ready or after it closed). */
  get pid(): number | undefined {
    return this.closed ? undefined : this.shellPid;
  }

  /** Requests sent and not yet answered: commands may be running. */
  get busy(): boolean {
    return this.pending.length > 0;
  }

  /** The shell's own stderr so far (not commands' stderr): sudo and bash messages. */
  get diagnostics(): string {
    return this.stderrText;
  }

  /**
   * Resolves when the shell printed its ready line. `failOn` lets the caller stop early on a stderr
   * message that means the shell will never start (sudo's "Sorry, try again.").
   */
  waitReady(timeoutMs: number, failOn?: RegExp): Promise<void> {
    if (this.isReady) return Promise.resolve();
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.readyWaiter = undefined;
      };
      const fail = (why: string): void => {
        done();
        const error = new ShellClosedError(`shell did not start: ${why}`, this.stderrText.trim(), null);
        this.destroy(error);
        reject(error);
      };
      this.readyWaiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (e) => {
          done();
          reject(e);
        },
        ...(failOn ? { failOn } : {}),
        refuse: () => fail('refused'),
      };
    });
  }

  /** Sends one request (one round trip) and resolves with one result per command. */
  request(commands: readonly ShellCommand[]): Promise<RawResult[]> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const data = encodeRequest(this.sentinel, id, commands);
    return new Promise<RawResult[]>((resolve, reject) => {
      const entry: Pending = { id, commands, results: [], resolve, reject };
      // The shell enforces each command's timeout itself; this watchdog only catches a shell that stopped
      // answering (e.g. a command that ignores SIGKILL in D state): the session is torn down.
      const limits = commands.map((c) => c.timeoutMs ?? 0);
      if (limits.every((l) => l > 0)) {
        const budget = limits.reduce((a, b) => a + b, 0) + commands.length * (KILL_AFTER_SECONDS + 3) * 1000;
        entry.timer = setTimeout(() => {
          this.destroy(new ShellClosedError(`shell did not answer within ${budget} ms`, this.stderrText, null));
        }, budget);
      }
      this.pending.push(entry);
      this.channel.write(data);
    });
  }

  /**
   * Graceful: the shell exits after the requests already sent. Resolves once the channel is gone (or
   * after `waitMs`, then torn down), so the run lock its shell holds is free when a run has closed.
   */
  async end(waitMs = 3000): Promise<void> {
    this.channel.end();
    if (this.channelGone) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.gone.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (gaveUp) this.destroy();
  }

  destroy(reason?: ShellClosedError): void {
    this.fail(reason ?? new ShellClosedError('shell closed', '', null));
    this.channel.destroy();
  }

  private onMessage(msg: ResponseLine): void {
    switch (msg.kind) {
      case 'ready':
        this.isReady = true;
        this.shellPid = msg.pid;
        this.readyWaiter?.resolve();
        return;
      case 'info':
        this.info = msg.data.toString('utf8');
        return;
      case 'result': {
        const head = this.pending[0];
        const command = head?.commands[head.results.length];
        if (!head || head.id !== msg.id || !command) return this.protocolError(`unexpected result for ${msg.id}`);
        head.results.push(toRawResult(msg, command));
        return;
      }
      case 'done': {
        const head = this.pending[0];
        if (!head || head.id !== msg.id || head.results.length !== head.commands.length) {
          return this.protocolError(`unexpected end of request ${msg.id}`);
        }
        this.pending.shift();
        if (head.timer) clearTimeout(head.timer);
        head.resolve(head.results);
        return;
      }
      case 'raw-result':
        return this.protocolError('raw result not read');
      case 'noise':
        this.stderrText = (this.stderrText + msg.text + '\n').slice(-STDERR_KEEP);
        return;
    }
  }

  private protocolError(detail: string): void {
    this.destroy(new ShellClosedError(`shell protocol out of step (${detail})`, this.stderrText, null));
  }

  private fail(error: ShellClosedError): void {
    if (this.closed) return;
    this.closed = error;
    this.readyWaiter?.reject(error);
    for (const p of this.pending.splice(0)) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
  }
}
