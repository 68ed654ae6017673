// `provision inventory` through commander, as main.ts registers it (output captured, not printed).

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../../src/core/errors.js';
import { registerInventoryCommand } from '../../../src/cli/commands/inventory.js';
import { fixture, readFixture } from './fixture.js';

async function run(...args: string[]): Promise<string> {
  let out = '';
  const program = new Command('provision').exitOverride();
  registerInventoryCommand(program, (text) => {
    out += text;
  });
  await program.parseAsync(['inventory', ...args], { from: 'user' });
  return out;
}

describe('provision inventory', () => {
  it('--list prints what ansible-inventory --list prints', async () => {
    expect(await run('-i', fixture('basic/hosts.yaml'), '--list')).toBe(readFixture('basic/expected-list.json'));
  });

  it('--graph and --graph GROUP print the tree as ansible-inventory --graph', async () => {
    expect(await run('-i', fixture('toplevel/inventory.yaml'), '--graph')).toBe(readFixture('toplevel/expected-graph.txt'));
    expect(await run('-i', fixture('toplevel/inventory.yaml'), '--graph', 'prod')).toBe(
      readFixture('toplevel/expected-graph-prod.txt'),
    );
  });

  it('--host prints one host\'s variables', async () => {
    expect(await run('-i', fixture('basic/hosts.yaml'), '--host', 'web03')).toBe(readFixture('basic/expected-host-web03.json'));
  });

  it('--playbook-dir adds the playbook\'s group_vars/host_vars', async () => {
    const out = await run('-i', fixture('precedence/hosts.yml'), '--list', '--playbook-dir', fixture('precedence/playbook'));
    expect(JSON.parse(out)).toEqual(JSON.parse(readFixture('precedence/expected-list-playbook.json')));
  });

  it('--limit restricts the listing to the matching hosts', async () => {
    const list = JSON.parse(await run('-i', fixture('basic/hosts.yaml'), '--list', '--limit', 'web:!web03')) as Record<string, unknown>;
    expect(list.web).toEqual({ hosts: ['web01', 'web02'] });
    expect(list).not.toHaveProperty('db');
    expect(list).not.toHaveProperty('ungrouped');
    expect(list.dc1).toEqual({ children: ['web', 'db'] });
    expect(Object.keys((list._meta as { hostvars: object }).hostvars)).toEqual(['web01', 'web02']);
    const graph = await run('-i', fixture('basic/hosts.yaml'), '--graph', '--limit', 'db-a');
    expect(graph).toBe(
      ['@all:', '  |--@ungrouped:', '  |--@web:', '  |--@db:', '  |  |--db-a', '  |--@dc1:', '  |  |--@web:', '  |  |--@db:', '  |  |  |--db-a', '  |--@batch:', ''].join('\n'),
    );
  });

  it('accepts a host list as -i', async () => {
    const list = JSON.parse(await run('-i', 'a1,a2:2200,', '--list')) as Record<string, unknown>;
    expect(list).toEqual({ all: { children: ['ungrouped'] }, ungrouped: { hosts: ['a1', 'a2'] }, _meta: { hostvars: { a2: { ansible_port: 2200 } } } });
  });

  it('needs exactly one of --list, --graph, --host', async () => {
    await expect(run('-i', fixture('basic/hosts.yaml'))).rejects.toThrow(UsageError);
    await expect(run('-i', fixture('basic/hosts.yaml'), '--list', '--graph')).rejects.toThrow(/exactly one of --list, --graph or --host/);
  });

  it('reports an unknown host or group as bad input', async () => {
    await expect(run('-i', fixture('basic/hosts.yaml'), '--host', 'nope')).rejects.toThrow(InputError);
    await expect(run('-i', fixture('basic/hosts.yaml'), '--graph', 'nope')).rejects.toThrow(/'nope' is not a group/);
  });
});
