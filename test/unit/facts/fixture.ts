// Fact fixtures (test/fixtures/facts/*.json), pyinfra's way (tests/test_facts.py): which probe with which
// arguments, the exact command it sent, what the host printed, and the fact expected from that output,
// written by hand. Buffers in a fact are `{"$utf8": text}` or `{"$bytes": [...]}`; a fact that is
// `undefined` is `{"$undefined": true}`; a probe whose output must be refused has `error` (a pattern).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecResult } from '../../../src/transport/types.js';

const dir = fileURLToPath(new URL('../../fixtures/facts/', import.meta.url));

export interface FactFixture {
  /** File name without `.json`. */
  name: string;
  /** The probe factory's name (an export of src/facts/*.ts) and its arguments. */
  probe: string;
  args: unknown[];
  /** Where and how the output was captured. */
  note?: string;
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The parsed fact expected, with Buffers and undefined revived. */
  fact?: unknown;
  /** A pattern the parser's error must match, for output it must refuse. */
  error?: string;
}

function revive(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as Record<string, unknown>;
    if (typeof tagged.$utf8 === 'string') return Buffer.from(tagged.$utf8, 'utf8');
    if (Array.isArray(tagged.$bytes)) return Buffer.from(tagged.$bytes as number[]);
    if (tagged.$undefined === true) return undefined;
  }
  return value;
}

export function loadFactFixture(name: string): FactFixture {
  const raw = JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as Omit<FactFixture, 'name'>;
  // Revived on its own, so that a fact of `undefined` keeps its key.
  if (!('fact' in raw)) return { name, ...raw };
  return { name, ...raw, fact: JSON.parse(JSON.stringify(raw.fact), revive) as unknown };
}

export function factFixtureNames(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A fixture's captured output as the transport returns it. */
export function fixture(name: string): ExecResult & { command: string } {
  const f = loadFactFixture(name);
  return { command: f.command, code: f.exitCode, stdout: f.stdout, stderr: f.stderr };
}
