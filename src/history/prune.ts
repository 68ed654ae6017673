// Keeps the newest `keep` runs of a history folder and deletes the others (ids sort by start time).

import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isRunFile } from './run-id.js';

/** Deletes the oldest run files beyond `keep`; returns the names it deleted. */
export function pruneHistory(dir: string, keep: number): string[] {
  const files = readdirSync(dir).filter(isRunFile).sort();
  const excess = files.slice(0, Math.max(0, files.length - keep));
  for (const name of excess) rmSync(join(dir, name), { force: true });
  return excess;
}
