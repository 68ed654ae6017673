// Last line of defence for secrets: the engine masks sensitive commands and no_log results, and every
// event then passes through one mask (RunContext.emit, with the run's `Secrets`) before any reporter sees
// it, so a secret that slipped into a message, a diff or stdout is never printed, logged or serialised.

export const MASK = '********';

/**
 * Replace every occurrence of each secret with `********`.
 *
 * Every non-empty secret is masked, however short: a short password printed in clear is worse than
 * an over-masked log line. Only the empty string is ignored (it would match everywhere). Longer
 * secrets are replaced first so that a secret containing another one is masked whole.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return createMasker(secrets)(text);
}

/** A masking function bound to a list of secrets (identity when there are none). */
export function createMasker(secrets: readonly string[] | undefined): (text: string) => string {
  const list = [...new Set(secrets ?? [])].filter((s) => s.length > 0);
  if (list.length === 0) return (text) => text;
  // One pass with a longest-first alternation: the regex engine tries alternatives in order, so
  // the longest secret at a position wins, and the mask itself is never scanned again.
  list.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(list.map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Mask every string (keys included) inside a JSON-like value: before any formatting or serialising. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
  return maskValue(value, mask) as T;
}

function maskValue(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskValue(v, mask);
    return out;
  }
  return value;
}

/** The two sides of a file diff, as a result event carries them. */
export interface DiffSides {
  before: string;
  after: string;
  only_secrets_differ?: true;
}

/**
 * Marks each masked diff whose two sides differed only in secret values: masked, they read alike, and
 * a reporter would show nothing for a file that changes. `original` and `masked` are the same list
 * before and after masking.
 */
export function markSecretOnlyDiffs(original: readonly DiffSides[], masked: DiffSides[]): void {
  masked.forEach((m, i) => {
    const o = original[i];
    if (o !== undefined && o.before !== o.after && m.before === m.after) m.only_secrets_differ = true;
  });
}

/** The secrets a run knows, growing as it learns them (a host's become password on first use). */
export class Secrets {
  private readonly values = new Set<string>();
  private masker: ((text: string) => string) | undefined;

  /** A non-empty string, or a number (a numeric password read from YAML). */
  add(value: unknown): void {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || text.length === 0 || this.values.has(text)) return;
    this.values.add(text);
    this.masker = undefined;
  }

  /** Several at once (see add). */
  addAll(values: Iterable<unknown>): void {
    for (const v of values) this.add(v);
  }

  /** Every secret, in the order learnt. */
  list(): string[] {
    return [...this.values];
  }

  /** The known secrets that occur in `text`. */
  occurringIn(text: string): string[] {
    return [...this.values].filter((s) => text.includes(s));
  }

  /** `text` with every secret masked. */
  mask(text: string): string {
    if (this.values.size === 0) return text;
    this.masker ??= createMasker([...this.values]);
    return this.masker(text);
  }

  /** `value` with every secret in every string (keys included) replaced by the mask. */
  maskDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    this.masker ??= createMasker([...this.values]);
    return maskDeep(value, this.masker);
  }
}

/**
 * Every secret this process has learnt (vault values as they are decrypted, and each run's secrets),
 * for output that is not a run event: the top-level catch's error message.
 */
export const processSecrets = new Secrets();

/** The values read from vault files (also in processSecrets): every run of the process masks them. */
export const vaultSecrets = new Secrets();
