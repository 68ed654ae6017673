// A role reference resolves inside the project (docs/PLAYBOOKS.md, Roles): a relative path may not climb
// out of the playbook's directory and the roles path with `..`; an absolute path is an explicit choice.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { loadPlaybook, loadRoleAsPlay } from '../../../src/core/playbook/index.js';
import { testModules } from './test-modules.js';

const tmp = mkdtempSync(join(tmpdir(), 'role-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** tmp/outside/evil and tmp/roles/common are real roles; playbooks live in tmp/site. */
function role(dir: string, message: string): void {
  mkdirSync(join(dir, 'tasks'), { recursive: true });
  writeFileSync(join(dir, 'tasks/main.yaml'), `- name: ${message}\n  debug:\n    msg: ${message}\n`);
}
role(join(tmp, 'outside/evil'), 'evil task');
role(join(tmp, 'roles/common'), 'common task');
mkdirSync(join(tmp, 'site'));

function playbook(name: string, roleLine: string): string {
  const file = join(tmp, 'site', name);
  writeFileSync(file, `- hosts: all\n  roles:\n    - ${roleLine}\n`);
  return file;
}

function loadError(file: string): InputError {
  try {
    loadPlaybook(file, { modules: testModules });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${file}: no error`);
}

describe('role references', () => {
  it.each([
    ['up-and-out.yaml', 'role: ../outside/evil', 3, 7],
    ['plain-up-and-out.yaml', '../outside/evil', 3, 7],
    ['through-roles.yaml', 'roles/../../outside/evil', 3, 7],
    ['to-etc.yaml', `role: ${'../'.repeat(40)}etc`, 3, 7],
  ])('%s: a relative path out of the project is refused with file:line:col', (name, line, row, col) => {
    const file = playbook(name, line);
    const err = loadError(file);
    expect(err.exitCode).toBe(ExitCode.invalidInput);
    expect(err.message.startsWith(`${file}:${row}:${col}: role '`)).toBe(true);
    expect(err.message).toMatch(/, outside the playbook directory and the roles path\n {2}a relative role path must stay inside .*; write an absolute path/);
  });

  it.each(['..', '.'])("'%s' is not a role name", (name) => {
    const file = playbook(`dots-${name.length}.yaml`, `role: '${name}'`);
    expect(loadError(file).message).toBe(`${file}:3:7: '${name}' is not a role name\n  expected the name of a directory in the roles path`);
  });

  it('a relative path into a roles directory is accepted (playbooks/ and roles/ as siblings)', () => {
    const book = loadPlaybook(playbook('sibling.yaml', 'role: ../roles/common'), { modules: testModules });
    expect(book.plays[0]?.tasks.map((t) => t.name)).toEqual(['common : common task']);
  });

  it('an absolute path is an explicit choice and is accepted wherever it is', () => {
    const book = loadPlaybook(playbook('absolute.yaml', `role: ${join(tmp, 'outside/evil')}`), { modules: testModules });
    expect(book.plays[0]?.tasks.map((t) => t.name)).toEqual(['evil : evil task']);
  });

  it('provision role applies the same rule from the current directory', () => {
    expect(() => loadRoleAsPlay('../outside/evil', 'all', { modules: testModules, cwd: join(tmp, 'site') })).toThrow(/outside the playbook directory and the roles path/);
  });
});
