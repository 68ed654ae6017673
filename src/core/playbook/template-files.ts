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

function filesBelow(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** The syntax errors of every file under a role's templates/. */
export function roleTemplateErrors(roleDir: string): InputError[] {
  const errors: InputError[] = [];
  for (const file of filesBelow(join(roleDir, 'templates'))) {
    try {
      checkTemplateFile(file);
    } catch (err) {
      if (err instanceof InputError) errors.push(err);
      else throw err;
    }
  }
  return errors;
}
