// Paths to test/fixtures/inventory/ and a loader that collects warnings instead of printing them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInventory, type Inventory, type LoadInventoryOptions } from '../../../src/core/inventory/index.js';

export const fixturesDir = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url));

export function fixture(...parts: string[]): string {
  return join(fixturesDir, ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixture(...parts), 'utf8');
}

export function load(relPath: string, options: Omit<LoadInventoryOptions, 'warn'> = {}): { inv: Inventory; warnings: string[] } {
  const warnings: string[] = [];
  const inv = loadInventory(fixture(relPath), { ...options, warn: (m) => warnings.push(m) });
  return { inv, warnings };
}
