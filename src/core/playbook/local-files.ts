// Where copy/template `src` files are looked up on the control machine, the one place for validation
// (playbook/task.ts) and for the run (engine/local-files.ts): the role's files/ (or templates/) and the role
// dir, the task file's dir, then the playbook dir.

import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export function localFileCandidates(path: string, kind: 'files' | 'templates', dirs: readonly (string | undefined)[]): string[] {
  if (isAbsolute(path)) return [path];
  const roots = dirs.filter((d): d is string => Boolean(d));
  return [...new Set(roots.flatMap((dir) => [join(dir, kind, path), join(dir, path)]))];
}

export function findLocalFile(path: string, kind: 'files' | 'templates', dirs: readonly (string | undefined)[]): { found?: string; candidates: string[] } {
  const candidates = localFileCandidates(path, kind, dirs);
  const found = candidates.find((c) => existsSync(c));
  return found ? { found, candidates } : { candidates };
}
