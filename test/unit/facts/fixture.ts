// Loads a captured probe output from test/fixtures/facts/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecResult } from '../../../src/transport/types.js';

const dir = fileURLToPath(new URL('../../fixtures/facts/', import.meta.url));

export function fixture(name: string): ExecResult & { command?: string } {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as ExecResult & { command?: string };
}
