// Every mistake in an inventory stops the load with an InputError naming file:line:col and what
// was expected (fixtures in test/fixtures/inventory/errors/).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InputError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/core/inventory/index.js';
import { fixture, load } from './fixture.js';

function loadError(relPath: string): InputError {
  try {
    load(relPath);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`${relPath} loaded without an error`);
}

describe('inventory errors', () => {
  it.each([
    ['malformed.yaml', 4, 21, /invalid YAML: Flow sequence in block collection.*'\[' here is never closed/],
    ['ini.yaml', 2, 1, /invalid YAML.*\n {2}this looks like an INI inventory/s],
    ['unknown-key.yaml', 4, 7, /unknown key 'host' in group 'web': a group may only have 'hosts', 'children' and 'vars'\n {2}did you mean 'hosts'\?/],
    ['bad-range.yaml', 6, 9, /invalid host range in 'web\[1:\]': the range must specify an end value\n {2}expected \[BEGIN:END\]/],
    ['cycle.yaml', 9, 17, /group 'a' cannot be a child of 'c': it would be its own ancestor \(child -> parent: a -> c -> b -> a\)/],
    ['vars-list.yaml', 7, 9, /vars of group 'web' must be a mapping of variable names to values, found a list/],
    ['host-vars-scalar.yaml', 3, 12, /vars of host 'web01' must be a mapping .* found string "192.0.2.1"/],
    ['group-scalar.yaml', 3, 10, /group 'web' must be a mapping with 'hosts', 'children' or 'vars' \(or empty\), found string "web01"/],
    ['bad-priority.yaml', 5, 33, /ansible_group_priority of group 'web' must be an integer, found "high"/],
  ])('%s at line %i, column %i', (name, line, col, message) => {
    const err = loadError(`errors/${name}`);
    expect(err.location).toEqual({ file: fixture('errors', name), line, col });
    expect(err.message.startsWith(`${fixture('errors', name)}:${line}:${col}: `)).toBe(true);
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(ExitCode.invalidInput);
  });

  it('names the group_vars file that is not a mapping', () => {
    const err = loadError('errors/bad-group-vars/hosts.yaml');
    expect(err.location).toEqual({ file: fixture('errors/bad-group-vars/group_vars/web.yaml'), line: 2, col: 1 });
    expect(err.message).toMatch(/a vars file must be a mapping of variable names to values, found a list/);
  });

  it('names a missing inventory file', () => {
    const err = loadError('errors/no-such-file.yaml');
    expect(err.message).toBe(`${fixture('errors/no-such-file.yaml')}: file not found`);
  });

  it('refuses a directory as the inventory', () => {
    expect(loadError('errors').message).toMatch(/the inventory is a directory/);
  });
});

describe('inventory errors written inline', () => {
  const loadText = (text: string): InputError => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-err-'));
    const file = join(dir, 'hosts.yaml');
    writeFileSync(file, text);
    try {
      loadInventory(file, { warn: () => {} });
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
    throw new Error('loaded without an error');
  };

  it('a group that is its own child', () => {
    const err = loadText('all:\n  children:\n    web:\n      children:\n        web:\n');
    expect(err.message).toMatch(/hosts\.yaml:5:9: group 'web' cannot be a child of 'web'/);
  });

  it("'all' as a child group", () => {
    const err = loadText('web:\n  children:\n    all:\n');
    expect(err.message).toMatch(/hosts\.yaml:3:5: 'all' cannot be a child of group 'web'/);
  });

  it('a list where hosts are expected, with how to write them', () => {
    const err = loadText('all:\n  hosts:\n    - web01\n    - web02\n');
    expect(err.message).toMatch(/hosts\.yaml:3:5: hosts of group 'all' must be a mapping of names, found a list\n {2}write each name as a key/);
  });

  it('a duplicate key, named, at the repeated key', () => {
    const err = loadText('all:\n  hosts:\n    web01:\n    web01:\n');
    expect(err.message).toMatch(/hosts\.yaml:4:5: duplicate key 'web01' in a mapping \(first written on line 3\)/);
  });

  it('a list as the whole inventory', () => {
    const err = loadText('- web01\n- web02\n');
    expect(err.message).toMatch(/hosts\.yaml:1:1: an inventory must be a mapping of group names \(usually 'all:'\), found a list/);
  });
});
