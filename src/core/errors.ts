// One error hierarchy. Every error a user can cause is a ProvisionError with an exit code;
// the single top-level catch in src/cli/main.ts prints `message` (never a stack) for these.

export const ExitCode = {
  ok: 0,
  internal: 1,
  taskFailed: 2,
  unreachable: 3,
  invalidInput: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Where something was written: file, 1-based line and column when known. */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file;
  return `${loc.file}:${loc.line}:${loc.col ?? 1}`;
}

export class ProvisionError extends Error {
  readonly exitCode: ExitCodeValue = ExitCode.internal;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input found before any host is touched: YAML, schema, unknown module, missing file... */
export class InputError extends ProvisionError {
  override readonly exitCode = ExitCode.invalidInput;
  constructor(
    readonly detail: string,
    readonly location?: SourceLocation,
    readonly hint?: string,
  ) {
    super(
      [location ? `${formatLocation(location)}: ${detail}` : detail, hint].filter(Boolean).join('\n  '),
    );
  }
}

/** Several input errors found in one validation pass: report them all at once. */
export class InputErrors extends ProvisionError {
  override readonly exitCode = ExitCode.invalidInput;
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

/** A variable used in a template or condition that no scope defines. */
export class UndefinedVariableError extends InputError {
  constructor(
    readonly variable: string,
    location?: SourceLocation,
    hint?: string,
  ) {
    super(`undefined variable '${variable}'`, location, hint);
  }
}

/** A host could not be reached or authenticated (marks the host unreachable). */
export class ConnectionError extends ProvisionError {
  override readonly exitCode = ExitCode.unreachable;
  constructor(
    readonly host: string,
    /** What went wrong, without the host name (reports already show it). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${detail}`, options);
  }
}

/** The host's SSH key is unknown or changed: refused unless trust-on-first-use is asked for. */
export class HostKeyError extends ConnectionError {}

/** A task failed on a host (module failure, failed_when, assert, fail). */
export class TaskFailedError extends ProvisionError {
  override readonly exitCode = ExitCode.taskFailed;
}

/** A command line the user typed is wrong (unknown flag value, missing argument). */
export class UsageError extends ProvisionError {
  override readonly exitCode = ExitCode.invalidInput;
}
