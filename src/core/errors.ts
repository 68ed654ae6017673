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

/** A template or expression that does not compile (`syntax`) or fails with these values (`runtime`). */
export class TemplateError extends InputError {
  constructor(
    /** syntax: wrong whatever the values; runtime: failed with these values (e.g. a property of null). */
    readonly kind: 'syntax' | 'runtime',
    detail: string,
    location?: SourceLocation,
    hint?: string,
  ) {
    super(detail, location, hint);
  }
}

const CONDITION_HINT = 'conditions are JavaScript expressions plus and/or/not, is [not] TEST, [not] in (see docs/TEMPLATES.md)';

/**
 * A condition (`when:`, `failed_when:`, `assert` `that:`...) that does not parse (`syntax`) or cannot be
 * evaluated (`runtime`). The evaluator throws it bare; evaluateCondition adds the text and location (`at`).
 */
export class ConditionError extends TemplateError {
  constructor(
    kind: 'syntax' | 'runtime',
    /** What is wrong, without the condition's text. */
    readonly problem: string,
    /** 0-based character of the condition where the problem is, when known. */
    readonly index?: number,
    readonly condition?: string,
    location?: SourceLocation,
  ) {
    const where = index !== undefined ? ` (at character ${index + 1})` : '';
    const detail =
      condition === undefined
        ? problem
        : kind === 'syntax'
          ? `invalid condition '${condition}': ${problem}${where}`
          : `condition '${condition}' failed: ${problem}`;
    super(kind, detail, location, kind === 'syntax' ? CONDITION_HINT : undefined);
  }

  /** The same error, told about the condition it happened in. */
  at(condition: string, location: SourceLocation | undefined): ConditionError {
    return new ConditionError(this.kind, this.problem, this.index, condition, location);
  }
}

/**
 * A property read on undefined or null (`a.b.c` where `a.b` is missing): a run-time failure, and what
 * makes `a.b.c is defined` false.
 */
export class UndefinedPropertyError extends ConditionError {
  constructor(
    readonly property: string,
    readonly holder: 'undefined' | 'null',
  ) {
    super('runtime', `Cannot read properties of ${holder} (reading '${property}')`);
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

/**
 * A task failed for a reason of one host's (sudo refused, its lock held, a shell that would not start).
 * The message names the host, for output without a host context (the top-level catch); `detail`
 * does not, for reports that print it beside the host already (`fatal: [web01]: FAILED! => detail`).
 */
export class HostTaskError extends TaskFailedError {
  constructor(
    readonly host: string,
    readonly detail: string,
  ) {
    super(`${host}: ${detail}`);
  }
}

/** An error's message for output that already names `host`: without the host again when it is the same one. */
export function messageOnHost(err: Error, host: string | undefined): string {
  return (err instanceof HostTaskError || err instanceof ConnectionError) && err.host === host ? err.detail : err.message;
}

/** A command line the user typed is wrong (unknown flag value, missing argument). */
export class UsageError extends ProvisionError {
  override readonly exitCode = ExitCode.invalidInput;
}
