import { describe, expect, it } from 'vitest';
import { composeTaskVars, magicVars, PRECEDENCE, type VarLayers } from '../../../src/core/vars.js';
import { fakeInventory } from '../playbook/fake-inventory.js';

describe('composeTaskVars precedence', () => {
  // Each layer defines `v` (and its own marker); the highest layer that defines `v` wins.
  const layers: Required<VarLayers> = {
    roleDefaults: { v: 'roleDefaults', d: 1 },
    inventory: { v: 'inventory', i: 1 },
    play: { v: 'play', p: 1 },
    roleVars: { v: 'roleVars' },
    roleParams: { v: 'roleParams' },
    task: { v: 'task' },
    runtime: { v: 'runtime' },
    extra: { v: 'extra' },
  };

  it('documents the order, lowest first', () => {
    expect(PRECEDENCE).toEqual(['roleDefaults', 'inventory', 'play', 'roleVars', 'roleParams', 'task', 'runtime', 'extra']);
  });

  it.each(PRECEDENCE.map((name, i) => [name, i] as const))('%s beats every layer below it', (name, i) => {
    const upTo = Object.fromEntries(PRECEDENCE.slice(0, i + 1).map((n) => [n, layers[n]])) as VarLayers;
    expect(composeTaskVars(upTo).v).toBe(name);
  });

  it('keeps names from every layer and merges shallowly', () => {
    const out = composeTaskVars({ roleDefaults: { d: 1, cfg: { a: 1, b: 2 } }, play: { cfg: { a: 9 } }, extra: { e: 1 } });
    expect(out).toEqual({ d: 1, cfg: { a: 9 }, e: 1 });
  });
});

describe('magicVars', () => {
  const inventory = fakeInventory({ web: ['web01.example.com', 'web02'], db: ['db01'] }, { web02: { x: 2 } });

  it('gives Ansible magic variables', () => {
    const m = magicVars({ host: 'web01.example.com', inventory, playHosts: ['web01.example.com', 'web02'], check: true, role: { name: 'r', path: '/roles/r' }, playbookDir: '/pb' });
    expect(m.inventory_hostname).toBe('web01.example.com');
    expect(m.inventory_hostname_short).toBe('web01');
    expect(m.group_names).toEqual(['web']);
    expect((m.groups as Record<string, string[]>).db).toEqual(['db01']);
    expect(m.play_hosts).toEqual(['web01.example.com', 'web02']);
    expect(m.ansible_check_mode).toBe(true);
    expect(m.ansible_diff_mode).toBe(false);
    expect(m.role_name).toBe('r');
    expect(m.role_path).toBe('/roles/r');
    expect(m.playbook_dir).toBe('/pb');
  });

  it('computes hostvars lazily, once per host', () => {
    const calls: string[] = [];
    const m = magicVars({ host: 'web02', inventory, playHosts: [], hostvars: (h) => (calls.push(h), { who: h }) });
    const hv = m.hostvars as Record<string, Record<string, unknown>>;
    expect(calls).toEqual([]);
    expect(hv.db01?.who).toBe('db01');
    expect(hv.db01?.who).toBe('db01');
    expect(hv.nothere).toBeUndefined();
    expect(calls).toEqual(['db01']);
    expect(Object.keys(hv)).toEqual(['web01.example.com', 'web02', 'db01']);
  });
});
