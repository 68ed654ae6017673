// The views must mean what ansible-inventory says. The expected outputs in test/fixtures/inventory
// were produced by the real tool (Debian 12's ansible-core 2.14.18) with
// test/fixtures/inventory/make-references.sh, and are committed so the tests need no Ansible.

import { describe, expect, it } from 'vitest';
import { formatAnsibleJson, inventoryGraph, inventoryToAnsibleJson } from '../../../src/core/inventory/index.js';
import { fixture, load, readFixture } from './fixture.js';

const expectedJson = (...parts: string[]): unknown => JSON.parse(readFixture(...parts));

describe('--list matches ansible-inventory --list', () => {
  it.each([
    ['basic/hosts.yaml', undefined, 'basic/expected-list.json'],
    ['precedence/hosts.yml', undefined, 'precedence/expected-list.json'],
    ['precedence/hosts.yml', 'precedence/playbook', 'precedence/expected-list-playbook.json'],
    ['toplevel/inventory.yaml', undefined, 'toplevel/expected-list.json'],
  ])('%s (playbook dir %s)', (inventory, playbookDir, expected) => {
    const { inv, warnings } = load(inventory, playbookDir ? { playbookDir: fixture(playbookDir) } : {});
    // toEqual ignores key order; list order (hosts, children) must match.
    expect(JSON.parse(formatAnsibleJson(inventoryToAnsibleJson(inv)))).toEqual(expectedJson(...expected.split('/')));
    expect(warnings).toEqual([]);
  });

  it('prints with sorted keys and four-space indent, as ansible-inventory does', () => {
    const { inv } = load('basic/hosts.yaml');
    expect(formatAnsibleJson(inventoryToAnsibleJson(inv)) + '\n').toBe(readFixture('basic', 'expected-list.json'));
  });

  it('--host prints the same variables as ansible-inventory --host', () => {
    const { inv } = load('basic/hosts.yaml');
    expect(formatAnsibleJson(inv.hostVars('web03')) + '\n').toBe(readFixture('basic', 'expected-host-web03.json'));
  });
});

describe('--graph matches ansible-inventory --graph', () => {
  it.each([
    ['basic/hosts.yaml', undefined, 'basic/expected-graph.txt'],
    ['toplevel/inventory.yaml', undefined, 'toplevel/expected-graph.txt'],
    ['toplevel/inventory.yaml', 'prod', 'toplevel/expected-graph-prod.txt'],
  ])('%s from %s', (inventory, group, expected) => {
    const { inv } = load(inventory);
    expect(inventoryGraph(inv, group ? { group } : {}) + '\n').toBe(readFixture(...expected.split('/')));
  });
});
