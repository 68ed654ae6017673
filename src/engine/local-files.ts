// Reads a copy/template `src` on the control machine, found where validation found it
// (core/playbook/local-files.ts: the role's files/ or templates/, the role dir, the task's dir, the playbook's).

import { readFile } from 'node:fs/promises';
import { findLocalFile } from '../core/playbook/local-files.js';
import type { Task } from '../core/playbook/types.js';
import { ProvisionError } from '../core/errors.js';
import { localFileNoun } from '../modules/types.js';

export async function readLocalFile(path: string, kind: 'files' | 'templates', task: Task, playbookDir: string): Promise<Buffer> {
  const { found, candidates } = findLocalFile(path, kind, [task.role?.path, task.baseDir, playbookDir]);
  if (!found) throw new ProvisionError(`could not find ${localFileNoun[kind]} '${path}' (looked in ${candidates.join(', ')})`);
  return readFile(found);
}
