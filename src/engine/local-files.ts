// Finds a file on the control machine the way Ansible does for copy/template `src`:
// the role's files/ or templates/, then the role dir, then the task's dir and the playbook's.

import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Task } from '../core/playbook/types.js';
import { ProvisionError } from '../core/errors.js';
import { localFileNoun } from '../modules/types.js';

export function localFileCandidates(path: string, kind: 'files' | 'templates', task: Task, playbookDir: string): string[] {
  if (isAbsolute(path)) return [path];
  const dirs = [task.role?.path, task.baseDir, playbookDir].filter((d): d is string => Boolean(d));
  return [...new Set(dirs.flatMap((dir) => [join(dir, kind, path), join(dir, path)]))];
}

export async function readLocalFile(path: string, kind: 'files' | 'templates', task: Task, playbookDir: string): Promise<Buffer> {
  const candidates = localFileCandidates(path, kind, task, playbookDir);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new ProvisionError(`could not find ${localFileNoun[kind]} '${path}' (looked in ${candidates.join(', ')})`);
  return readFile(found);
}
