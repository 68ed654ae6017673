import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UndefinedVariableError } from '../../../src/core/errors.js';
import { loadPlaybook, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { fakeInventory } from './fake-inventory.js';
import { testModules } from './test-modules.js';

const dir = join(import.meta.dirname, '../../fixtures/playbooks/validate');
const load = (name: string) => loadPlaybook(join(dir, name), { modules: testModules });

describe('validatePlaybookVariables', () => {
  it('accepts inventory, play, extra, magic, registered, set_fact, fact, loop and guarded names', () => {
    const inventory = fakeInventory({ web: ['web01', 'web02'] }, { web01: { hv: 1 }, web02: { hv: 2 } });
    expect(() => validatePlaybookVariables(load('ok.yaml'), inventory, { extra_one: 'e' })).not.toThrow();
  });

  it('misses an extra var when it is not given', () => {
    const inventory = fakeInventory({ web: ['web01'] }, { web01: { hv: 1 } });
    expect(() => validatePlaybookVariables(load('ok.yaml'), inventory, {})).toThrow(/ok\.yaml:7:16: undefined variable 'extra_one'/);
  });

  it('checks every host: a variable only one host has is an error on the other', () => {
    const inventory = fakeInventory({ web: ['web01', 'web02'] }, { web01: { hv: 1 } });
    expect(() => validatePlaybookVariables(load('host-only.yaml'), inventory, {})).toThrow(/host-only\.yaml:4:14: undefined variable 'hv'/);
    const both = fakeInventory({ web: ['web01', 'web02'] }, { web01: { hv: 1 }, web02: { hv: 2 } });
    expect(() => validatePlaybookVariables(load('host-only.yaml'), both, {})).not.toThrow();
  });

  it('checks only the hosts --limit keeps: a host left out may lack the variable', () => {
    const inventory = fakeInventory({ web: ['web01', 'web02'] }, { web01: { hv: 1 } });
    expect(() => validatePlaybookVariables(load('host-only.yaml'), inventory, {}, 'web01')).not.toThrow();
    expect(() => validatePlaybookVariables(load('host-only.yaml'), inventory, {}, 'web02')).toThrow(/undefined variable 'hv'/);
  });

  it('renders .ejs templates and names the template file and line', () => {
    const inventory = fakeInventory({ web: ['web01'] });
    let err: unknown;
    try {
      validatePlaybookVariables(load('bad-template.yaml'), inventory, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UndefinedVariableError);
    expect((err as Error).message).toMatch(new RegExp(`^${dir}/templates/bad\\.conf\\.ejs:2:1: undefined variable 'not_there'`));
  });

  it('follows variables whose values are templates', () => {
    const inventory = fakeInventory({ web: ['web01'] });
    expect(() => validatePlaybookVariables(load('bad-var-chain.yaml'), inventory, {})).toThrow(
      /bad-var-chain\.yaml:6:14: undefined variable 'b'\n {2}in the value of variable 'a'/,
    );
    expect(() => validatePlaybookVariables(load('bad-var-chain.yaml'), inventory, { b: 1 })).not.toThrow();
  });
});
