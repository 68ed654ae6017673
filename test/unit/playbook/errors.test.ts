import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError, InputErrors, UndefinedVariableError } from '../../../src/core/errors.js';
import { loadPlaybook, validatePlaybookHosts, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { fakeInventory } from './fake-inventory.js';
import { testModules } from './test-modules.js';

const fixtures = join(import.meta.dirname, '../../fixtures/playbooks');
const errorsDir = join(fixtures, 'errors');
const inventory = fakeInventory({ web: ['web01', 'web02'] }, { web01: { hv: 1 } });

/** Loads and validates a fixture the way `provision validate` does; returns the error thrown. */
function failure(name: string, dir = errorsDir): InputError | InputErrors {
  try {
    const book = loadPlaybook(join(dir, name), { modules: testModules });
    validatePlaybookHosts(book, inventory);
    validatePlaybookVariables(book, inventory, {});
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return err;
    throw err;
  }
  throw new Error(`${name}: no error`);
}

describe('bad input: one paragraph with file:line:col and what was expected', () => {
  it.each([
    ['malformed.yaml', 4, 14, /invalid YAML: Flow map.*'{' here is never closed/],
    ['unknown-module.yaml', 4, 7, /unknown module 'aptt'\n {2}did you mean 'apt'\?/],
    ['unknown-keyword.yaml', 6, 7, /unknown task keyword 'whne'\n {2}did you mean 'when'\?/],
    ['wrong-type.yaml', 6, 23, /invalid argument 'update_cache' of module 'apt': expected boolean, got a list/],
    ['missing-arg.yaml', 4, 7, /missing required argument 'dest' for module 'copy' \(expected string\)/],
    ['missing-role.yaml', 3, 7, /role 'nope_role' not found\n {2}looked in: /],
    ['missing-file.yaml', 5, 14, /file 'does-not-exist.txt' not found\n {2}looked in: .*files\/does-not-exist\.txt/],
    ['missing-template.yaml', 4, 14, /template 'nothing.conf.ejs' not found\n {2}looked in: .*templates\/nothing\.conf\.ejs/],
    ['missing-vars-file.yaml', 3, 7, /vars file 'nothing.yaml' not found/],
    ['missing-include.yaml', 3, 22, /task file 'nothing.yaml' not found/],
    ['bad-notify.yaml', 6, 15, /notify names no handler or listen topic: 'restart ngnix'\n {2}did you mean 'restart nginx'\?/],
    ['undefined-var.yaml', 7, 14, /undefined variable 'typo_var'/],
    ['undefined-in-when.yaml', 15, 13, /undefined variable 'missing_in_when'/],
    ['bad-hosts.yaml', 2, 10, /bad host pattern 'web:&'/],
    ['not-a-list.yaml', 1, 1, /a playbook is a list of plays, got a mapping/],
    ['bad-play-keyword.yaml', 2, 3, /unknown keyword 'gather_fatcs' for play\n {2}did you mean 'gather_facts'\?/],
  ])('%s -> line %i col %i', (name, line, col, pattern) => {
    const err = failure(name);
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(ExitCode.invalidInput);
    expect(err.message.startsWith(`${join(errorsDir, name)}:${line}:${col}: `)).toBe(true);
    expect(err.message).toMatch(pattern);
  });

  it('an undefined variable is an UndefinedVariableError naming the variable', () => {
    const err = failure('undefined-var.yaml');
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as UndefinedVariableError).variable).toBe('typo_var');
  });

  it('collects independent errors', () => {
    const err = failure('several.yaml');
    expect(err).toBeInstanceOf(InputErrors);
    const file = join(errorsDir, 'several.yaml');
    expect((err as InputErrors).errors.map((e) => e.message.split('\n')[0])).toEqual([
      `${file}:4:7: unknown module 'aptt'`,
      `${file}:8:7: unknown task keyword 'bogus_kw'`,
    ]);
  });

  it('shows the chain of a role dependency cycle', () => {
    const err = failure('play.yaml', join(fixtures, 'cycle'));
    expect(err.message).toBe(`${join(fixtures, 'cycle/roles/b/meta/main.yaml')}:2:5: cycle in role dependencies: a -> b -> a`);
  });

  it('shows the chain of an include cycle', () => {
    const err = failure('play.yaml', join(fixtures, 'include-cycle'));
    const d = join(fixtures, 'include-cycle');
    expect(err.message).toMatch(new RegExp(`^${d}/b\\.yaml:3:17: include cycle: ${d}/a\\.yaml -> ${d}/b\\.yaml -> ${d}/a\\.yaml`));
  });

  it('a missing playbook file names the file', () => {
    expect(() => loadPlaybook(join(errorsDir, 'nope.yaml'), { modules: testModules })).toThrow(/nope\.yaml: file not found/);
  });
});
