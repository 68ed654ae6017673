// Everything SSH and local share: one persistent shell per become user, round-trip accounting,
// exec/execBatch/get on top of the framed protocol. Subclasses only know how to start a process.

import { HostTaskError } from '../core/errors.js';
import { quote } from '../core/shell.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';
import { BecomeError, SUDO_WRONG_PASSWORD, explainSudoFailure, shellArgv, sudoShellArgv } from './become.js';
import { driverScript, interruptScript, newSentinel, type RawResult, type ShellCommand } from './shell-protocol.js';
import { ShellClosedError, ShellSession, type ShellChannel } from './shell-session.js';
import { RunLockedError, lockHolderFrom, runLockPreamble, type RunLockGrant, type RunLockRequest } from './run-lock.js';

/** A shell started with the run lock's preamble (run-lock.ts). */
interface LockStart {
  preamble: string;
  /** Added to the start timeout: the preamble may wait for the lock. */
  extraWaitMs: number;
  /** The error to throw when the shell did not start because the lock is held (undefined: another cause). */
  onRefused: (stderr: string) => Error | undefined;
}

/** Exit code reported when the shell died under a command (ssh uses 255 for its own failures). */
export const SHELL_LOST_CODE = 255;

export abstract class ShellTransport implements Transport {
  abstract readonly host: string;
  private trips = 0;
  private readonly sessions = new Map<string, Promise<ShellSession>>();

  get roundTrips(): number {
    return this.trips;
  }

  abstract connect(): Promise<void>;
  /** Starts `argv` (argv[0] is the program) in the user's home, with piped stdio. */
  protected abstract startProcess(argv: string[]): Promise<ShellChannel>;
  /** The user the plain shell runs as: becoming this user needs no sudo. */
  protected abstract loginUser(): string;
  protected abstract becomePassword(): string | undefined;
  /** How long to wait for a shell (sudo included) to say it is ready. */
  protected abstract shellStartTimeoutMs(): number;
  /** Called when a shell fails: throw a ConnectionError here if the connection itself is gone. */
  protected abstract checkConnection(cause: unknown): Promise<void>;

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const [result] = await this.execBatch([command], options);
    if (!result) throw new Error('internal: empty batch result');
    return result;
  }

  async execBatch(commands: string[], options: ExecOptions = {}): Promise<ExecResult[]> {
    const raw = await this.execRaw(commands, options);
    return raw.map((r) => ({ code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') }));
  }

  async get(path: string, options: ExecOptions = {}): Promise<Buffer> {
    const [r] = await this.execRaw([`cat -- ${quote(path)}`], options, 'binary');
    if (!r || r.code !== 0) {
      const why = r?.stderr.toString('utf8').trim().replace(/^cat: /, '') || `exit code ${r?.code}`;
      throw new HostTaskError(this.host, `cannot read ${path}: ${why}`);
    }
    return r.stdout;
  }

  /** Byte-exact results (exec decodes them as UTF-8). One round trip for the whole list. */
  async execRaw(commands: readonly string[], options: ExecOptions = {}, how: ShellCommand['how'] = defaultHow(commands, options)): Promise<RawResult[]> {
    if (commands.length === 0) return [];
    await this.connect();
    const stdin = options.stdin === undefined ? undefined : Buffer.from(options.stdin);
    const request: ShellCommand[] = commands.map((command) => ({
      command,
      how,
      ...(stdin ? { stdin } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }));
    const key = this.sessionUser(options);
    const session = await this.session(key);
    this.trips++;
    if (options.tally) options.tally.roundTrips++;
    try {
      return await session.request(request);
    } catch (error) {
      this.forget(key, session);
      await this.checkConnection(error);
      // The shell died under the command (or stopped answering): report it as the commands' failure;
      // the next call starts a fresh shell.
      const why = error instanceof ShellClosedError ? error.message : String(error);
      return request.map(() => ({
        code: SHELL_LOST_CODE,
        stdout: Buffer.alloc(0),
        stderr: Buffer.from(`provision: the remote shell was lost while running the command (${why})\n`),
        timedOut: /did not answer/.test(why),
        elapsedMs: 0,
      }));
    }
  }

  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    // All shells at once: each end() waits (bounded) for its shell to exit, which frees the run lock.
    await Promise.all(sessions.map((s) => s.then((session) => session.end()).catch(() => undefined)));
  }

  async lock(request: RunLockRequest): Promise<RunLockGrant> {
    await this.connect();
    const user = this.sessionUser({ become: request.become });
    if (this.sessions.has(user)) throw new Error(`internal: the run lock of ${this.host} must be taken before its shell starts`);
    const started = this.startSession(user, {
      preamble: runLockPreamble(request),
      extraWaitMs: request.waitSeconds * 1000,
      onRefused: (stderr) => {
        const holder = lockHolderFrom(stderr);
        return holder === undefined ? undefined : new RunLockedError(this.host, holder, request.waitSeconds);
      },
    });
    this.sessions.set(user, started);
    started.catch(() => this.sessions.delete(user));
    const session = await started;
    return { pendingHandlers: session.info };
  }

  /**
   * Ends the commands running now (each command's whole process group, SIGTERM then SIGKILL) and leaves
   * the shells usable. The kill runs as the shell's user, in a short-lived process of its own, since
   * the shell is busy waiting for the command.
   */
  async interrupt(): Promise<void> {
    const kills = [...this.sessions.entries()].map(async ([user, started]) => {
      const session = await started.catch(() => undefined);
      const pid = session?.pid;
      if (!session?.busy || pid === undefined) return;
      await this.runOnce(user, interruptScript(pid), 10_000).catch(() => undefined);
    });
    await Promise.all(kills);
  }

  /** Runs one script as `user` in a process of its own (not through a persistent shell) and waits for its end. */
  private async runOnce(user: string, script: string, timeoutMs: number): Promise<void> {
    const password = user === '' ? undefined : this.becomePassword();
    const argv = user === '' ? shellArgv(script) : sudoShellArgv(script, user, password !== undefined);
    const channel = await this.startProcess(argv);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.destroy();
        resolve();
      }, timeoutMs);
      channel.onStdout(() => undefined);
      channel.onStderr(() => undefined);
      channel.onClose(() => {
        clearTimeout(timer);
        resolve();
      });
      if (password !== undefined) channel.write(Buffer.from(`${password}\n`));
      channel.end();
    });
  }

  /** '' for the login user's own shell, else the become user. */
  private sessionUser(options: ExecOptions): string {
    if (!options.become) return '';
    const user = options.become.user ?? 'root';
    return user === this.loginUser() ? '' : user;
  }

  private session(user: string): Promise<ShellSession> {
    const existing = this.sessions.get(user);
    if (existing) return existing;
    const started = this.startSession(user);
    this.sessions.set(user, started);
    started.catch(() => this.sessions.delete(user));
    return started;
  }

  private forget(user: string, session: ShellSession): void {
    const current = this.sessions.get(user);
    if (current) void current.then((s) => s === session && this.sessions.delete(user)).catch(() => undefined);
  }

  private async startSession(user: string, lock?: LockStart): Promise<ShellSession> {
    const sentinel = newSentinel();
    const script = driverScript(sentinel, lock?.preamble);
    const password = user === '' ? undefined : this.becomePassword();
    const argv = user === '' ? shellArgv(script) : sudoShellArgv(script, user, password !== undefined);
    let channel: ShellChannel;
    try {
      channel = await this.startProcess(argv);
    } catch (error) {
      await this.checkConnection(error);
      throw error;
    }
    const session = new ShellSession(channel, sentinel);
    // Written before the shell exists: sudo -S reads exactly one line; if sudo did not need it, the
    // shell skips it (it only takes lines that start with its sentinel).
    if (password !== undefined) channel.write(Buffer.from(`${password}\n`));
    try {
      await session.waitReady(this.shellStartTimeoutMs() + (lock?.extraWaitMs ?? 0), user === '' ? undefined : SUDO_WRONG_PASSWORD);
    } catch (error) {
      await this.checkConnection(error);
      const stderr = error instanceof ShellClosedError ? error.stderr : session.diagnostics;
      const refused = lock?.onRefused(stderr);
      if (refused) throw refused;
      if (user !== '') throw new BecomeError(this.host, user, explainSudoFailure(stderr, password !== undefined));
      throw new HostTaskError(this.host, `could not start a shell: ${stderr.trim() || String(error)}`);
    }
    return session;
  }
}

/**
 * Probes run in a forked copy of the shell; several of them (with no stdin or timeout) side by side,
 * so a batch takes about as long as its slowest probe instead of the sum of them all.
 */
function defaultHow(commands: readonly string[], options: ExecOptions): ShellCommand['how'] {
  if (!options.probe) return 'fresh';
  return commands.length > 1 && options.stdin === undefined && !options.timeoutMs ? 'parallel' : 'fork';
}
