// Every template file a task can reach is compiled when the playbook loads, so an EJS syntax error is
// found by `validate` (with the template's file and line), not on a host halfway through a run: the
// `src` a module declares as a template source, and every file under a role's templates/ (a templated
// `src` may pick any of them at run time).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { templateSyntaxError } from '../template-syntax.js';

/** Throws the template's syntax error, if any. */
export function checkTemplateFile(file: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read template (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
  }
  const error = templateSyntaxError(text, file);
  if (error) throw error;
}

/** Every file below `dir`, as its path's segments under `dir`, in the order the directories list them. */
function filesBelow(dir: string, under: string[] = []): string[][] {
  let entries;
  try {
    entries = readdirSync(join(dir, ...under), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesBelow(dir, [...under, e.name]) : e.isFile() ? [[...under, e.name]] : []));
}

/** Each directory's entries by name (localeCompare), a directory's files where the directory sorts. */
function byName(a: readonly string[], b: readonly string[]): number {
  const i = a.findIndex((segment, k) => segment !== b[k]);
  return i < 0 ? a.length - b.length : (a[i] ?? '').localeCompare(b[i] ?? '');
}

/**
 * The syntax errors of every file under a role's templates/, in file name order. Only errors are
 * sorted: the first localeCompare loads ICU's collation, 12 ms of every start.
 */
export function roleTemplateErrors(roleDir: string): InputError[] {
  const templates = join(roleDir, 'templates');
  const errors: { file: string[]; error: InputError }[] = [];
  for (const file of filesBelow(templates)) {
    try {
      checkTemplateFile(join(templates, ...file));
    } catch (err) {
      if (err instanceof InputError) errors.push({ file, error: err });
      else throw err;
    }
  }
  if (errors.length > 1) errors.sort((a, b) => byName(a.file, b.file));
  return errors.map((e) => e.error);
}
