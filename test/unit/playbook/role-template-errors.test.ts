// Every template under a role's templates/ is compiled when the playbook loads; their syntax errors are
// reported in file name order (each directory's entries by localeCompare, as a listing shows them),
// whatever order the file system lists them in.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { roleTemplateErrors } from '../../../src/core/playbook/template-files.js';

const tmp = mkdtempSync(join(tmpdir(), 'role-template-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function role(name: string, templates: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [file, text] of Object.entries(templates)) {
    mkdirSync(join(dir, 'templates', file, '..'), { recursive: true });
    writeFileSync(join(dir, 'templates', file), text);
  }
  return dir;
}

const BAD = 'port <%= port %>\n<% if (x) { %>\nnever closed\n';

describe('roleTemplateErrors', () => {
  it('reports nothing for templates that compile', () => {
    expect(roleTemplateErrors(role('good', { 'a.conf.ejs': 'port <%= port %>\n', 'sub/b.ejs': '<% if (x) { %>x<% } %>\n' }))).toEqual([]);
  });

  it('reports nothing for a role without templates/', () => {
    mkdirSync(join(tmp, 'bare'));
    expect(roleTemplateErrors(join(tmp, 'bare'))).toEqual([]);
  });

  it('names every broken template, in file name order, directories where their names sort', () => {
    const dir = role('broken', {
      'sub/Z.ejs': BAD,
      'B.ejs': BAD,
      'ok.ejs': 'fine\n',
      'sub/y.ejs': BAD,
      'C/x.ejs': BAD,
      'a.ejs': BAD,
    });
    const errors = roleTemplateErrors(dir);
    expect(errors.map((e) => e.location?.file)).toEqual(
      ['a.ejs', 'B.ejs', 'C/x.ejs', 'sub/y.ejs', 'sub/Z.ejs'].map((f) => join(dir, 'templates', f)),
    );
    expect(errors.map((e) => e.location?.line)).toEqual([2, 2, 2, 2, 2]);
  });
});
