// What a run of steady load says about a fault: how many requests failed, for how long the site (or its
// writes) answered nothing but failures, and which acknowledged writes are missing afterwards. Pure
// functions over the request log, so they are unit-tested (test/unit/lab/load-stats.test.ts).

export type RequestKind = 'read' | 'write';

export interface RequestRecord {
  kind: RequestKind;
  /** ms since the load started */
  start: number;
  end: number;
  ok: boolean;
  /** HTTP status, or 0 when no answer came (refused, reset, timeout). */
  status: number;
  /** The backend that answered (reads: the JSON's host), when known. */
  backend?: string;
  /** Writes: the unique text posted. */
  token?: string;
  error?: string;
}

export interface LoadSummary {
  sent: number;
  failed: number;
  reads: number;
  readsFailed: number;
  writes: number;
  writesFailed: number;
  /** Longest stretch of failures, from the first failed request's start to the next success's start (s). */
  longestOutage: number;
  longestReadOutage: number;
  longestWriteOutage: number;
  acknowledged: string[];
}

/**
 * The longest run of consecutive failures (requests ordered by start), measured from the start of its
 * first failure to the start of the first success after it; a run still failing at the end lasts until
 * the last request's end.
 */
export function longestOutage(records: readonly RequestRecord[]): number {
  const sorted = [...records].sort((a, b) => a.start - b.start);
  let longest = 0;
  let runStart: number | undefined;
  for (const r of sorted) {
    if (!r.ok) {
      runStart ??= r.start;
    } else if (runStart !== undefined) {
      longest = Math.max(longest, r.start - runStart);
      runStart = undefined;
    }
  }
  if (runStart !== undefined) longest = Math.max(longest, (sorted.at(-1)?.end ?? runStart) - runStart);
  return longest / 1000;
}

export function summarise(records: readonly RequestRecord[]): LoadSummary {
  const reads = records.filter((r) => r.kind === 'read');
  const writes = records.filter((r) => r.kind === 'write');
  return {
    sent: records.length,
    failed: records.filter((r) => !r.ok).length,
    reads: reads.length,
    readsFailed: reads.filter((r) => !r.ok).length,
    writes: writes.length,
    writesFailed: writes.filter((r) => !r.ok).length,
    longestOutage: longestOutage(records),
    longestReadOutage: longestOutage(reads),
    longestWriteOutage: longestOutage(writes),
    acknowledged: writes.filter((r) => r.ok && r.token !== undefined).map((r) => r.token as string),
  };
}

/** Records that started within [from, to) ms. */
export function between(records: readonly RequestRecord[], from: number, to: number): RequestRecord[] {
  return records.filter((r) => r.start >= from && r.start < to);
}

/** Acknowledged tokens that the database does not hold. */
export function lostWrites(acknowledged: readonly string[], stored: ReadonlySet<string>): string[] {
  return acknowledged.filter((t) => !stored.has(t));
}

export function successRate(records: readonly RequestRecord[]): number {
  return records.length === 0 ? 1 : records.filter((r) => r.ok).length / records.length;
}
