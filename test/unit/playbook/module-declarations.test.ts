// What a module declares (src/modules/types.ts), and not its name, decides how the loader, the
// validator and the engine treat its arguments. These modules have names no core code could know.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPlaybook, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { renderArgs } from '../../../src/engine/templating.js';
import { defineModule, type ModuleDefinition } from '../../../src/modules/types.js';
import { fakeInventory } from './fake-inventory.js';

const dir = join(import.meta.dirname, '../../fixtures/playbooks/declarations');
const inventory = fakeInventory({ web: ['web01'] }, { web01: { hv: 1 } });
const noPlan = async () => ({ actions: [] });
const condition = z.union([z.string(), z.boolean()]);

const expectAll = defineModule({
  name: 'expect_all',
  args: z.object({ checks: z.union([condition, z.array(condition)]), note: z.string().optional() }).strict(),
  conditionArgs: ['checks'],
  plan: noPlan,
});
const remember = defineModule({
  name: 'remember',
  args: z.record(z.string(), z.unknown()),
  definesVariables: (args) => Object.keys(args as object),
  plan: noPlan,
});
const renderFile = defineModule({
  name: 'render_file',
  args: z.object({ from: z.string() }).strict(),
  localSource: { arg: 'from', kind: 'templates' },
  plan: noPlan,
});

function registry(...modules: ModuleDefinition[]): ReadonlyMap<string, ModuleDefinition> {
  return new Map(modules.map((m) => [m.name, m]));
}
const declared = registry(expectAll, remember, renderFile);
/** The same modules with one declaration taken away. */
const without = (module: ModuleDefinition, key: 'conditionArgs' | 'definesVariables' | 'localSource'): ReadonlyMap<string, ModuleDefinition> => {
  const { [key]: _dropped, ...rest } = module;
  return new Map([...declared, [module.name, rest as ModuleDefinition]]);
};

function validate(file: string, modules: ReadonlyMap<string, ModuleDefinition>): void {
  const book = loadPlaybook(join(dir, file), { modules });
  validatePlaybookVariables(book, inventory, {}, undefined, modules);
}

describe('conditionArgs', () => {
  it("the validator evaluates a condition argument's variables", () => {
    expect(() => validate('conditions.yaml', declared)).toThrow(/conditions\.yaml:\d+:\d+: undefined variable 'nope_in_check'/);
  });

  it('without the declaration the same value is a plain string', () => {
    expect(() => validate('conditions.yaml', without(expectAll, 'conditionArgs'))).not.toThrow();
  });

  it('the engine evaluates condition arguments to booleans (a list stays a list) and renders the others', () => {
    const args = { checks: ['n > 1', true, 'n == 3'], note: 'n is <%= n %>' };
    expect(renderArgs(args, { n: 2 }, { file: 'x.yaml' }, { conditionArgs: ['checks'] })).toEqual({ checks: [true, true, false], note: 'n is 2' });
    expect(renderArgs({ checks: 'n == 2' }, { n: 2 }, { file: 'x.yaml' }, { conditionArgs: ['checks'] })).toEqual({ checks: true });
    expect(renderArgs(args, { n: 2 }, { file: 'x.yaml' }, {})).toEqual({ checks: ['n > 1', true, 'n == 3'], note: 'n is 2' });
  });
});

describe('definesVariables', () => {
  it('names a module defines are known to later tasks', () => {
    expect(() => validate('defines.yaml', declared)).not.toThrow();
  });

  it('without the declaration they are undefined', () => {
    expect(() => validate('defines.yaml', without(remember, 'definesVariables'))).toThrow(/undefined variable 'remembered_port'/);
  });
});

describe('localSource', () => {
  it('a missing source file stops the load at the argument that names it', () => {
    expect(() => loadPlaybook(join(dir, 'source-missing.yaml'), { modules: declared })).toThrow(
      /source-missing\.yaml:5:15: template 'not-there\.txt\.ejs' not found\n {2}looked in: .*templates\/not-there\.txt\.ejs/,
    );
    expect(() => loadPlaybook(join(dir, 'source-missing.yaml'), { modules: without(renderFile, 'localSource') })).not.toThrow();
  });

  it('a template source is rendered by the validator, naming the template file and line', () => {
    expect(() => validate('source-renders.yaml', declared)).toThrow(/templates\/page\.txt\.ejs:2:1: undefined variable 'undefined_in_source'/);
  });

  it('a files source is only found, not rendered', () => {
    const asFiles = new Map([...declared, ['render_file', { ...renderFile, localSource: { arg: 'from', kind: 'files' } } as ModuleDefinition]]);
    expect(() => validate('source-renders.yaml', asFiles)).not.toThrow();
  });
});
