// The small interface every connection implements (SSH, local). Become is the transport's job,
// asked for per call, so modules never build sudo command lines themselves.

import type { RunLockGrant, RunLockRequest } from './run-lock.js';

export interface Become {
  /** Run as this user (default root). */
  user?: string;
}

export interface ExecOptions {
  /** Bytes fed to the command's standard input (never put secrets in argv: pass them here). */
  stdin?: string | Buffer;
  become?: Become | false;
  timeoutMs?: number;
  /**
   * The commands are the engine's read-only probe snippets (facts/): they may run in a forked copy of
   * the remote shell instead of a fresh `bash -c` (cheaper; `$$` is the shell's pid there).
   */
  probe?: boolean;
  /** Also counts this call's round trip here (a task's own count; the connection may serve several tasks at once). */
  tally?: RoundTripTally;
}

export interface RoundTripTally {
  roundTrips: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Transport {
  readonly host: string;
  /** Open the connection (idempotent). Throws ConnectionError / HostKeyError. */
  connect(): Promise<void>;
  /** Run one shell command line (bash -c semantics). One round trip. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Run several independent commands in one round trip; results in the same order. */
  execBatch(commands: string[], options?: ExecOptions): Promise<ExecResult[]>;
  /** Read a whole remote file. One round trip. */
  get(path: string, options?: ExecOptions): Promise<Buffer>;
  close(): Promise<void>;
  /**
   * Takes the host's run lock with the start of the shell that will hold it (no round trip of its own),
   * before anything else uses that shell. Throws RunLockedError when another run holds it.
   */
  lock(request: RunLockRequest): Promise<RunLockGrant>;
  /** Ends the commands in flight (their whole process group on the host); the connection stays usable. */
  interrupt(): Promise<void>;
  /** Round trips (exec, batch, file operation) used so far on this connection. */
  readonly roundTrips: number;
}

export interface ConnectionSettings {
  host: string;
  /** Address to connect to (ansible_host), defaults to host. */
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  password?: string;
  becomePassword?: string;
  connection: 'ssh' | 'local';
  /** Accept and record unknown host keys (trust on first use). */
  trustOnFirstUse: boolean;
  knownHostsFile: string;
  connectTimeoutMs: number;
  /**
   * Keep an OpenSSH master connection this many seconds after its last use, for the next runs (the
   * `ssh` client with ControlPersist instead of the built-in one; unset: a fresh connection per run).
   */
  controlPersistSeconds?: number;
  /** Told of every key recorded under trust-on-first-use, so that the run can say what it trusted. */
  onHostKeyRecorded?: (key: RecordedHostKey) => void;
}

/** An unknown host key that trust-on-first-use accepted and appended to known_hosts. */
export interface RecordedHostKey {
  host: string;
  address: string;
  port: number;
  /** e.g. `ssh-ed25519`. */
  type: string;
  /** `SHA256:...`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  file: string;
}
