// Ansible's variable precedence inside the inventory (checked against ansible-inventory in
// reference.test.ts; spelled out rule by rule here).

import { describe, expect, it } from 'vitest';
import { fixture, load } from './fixture.js';

describe('variable precedence between groups', () => {
  const { inv } = load('precedence/hosts.yml');

  it('all < parent < child', () => {
    const vars = inv.hostVars('h1');
    expect(vars.level).toBe('child');
    expect(vars.from_parent).toBe('parent');
    expect(vars.from_all).toBe('all');
  });

  it('depth wins over ansible_group_priority (alpha: depth 1, priority 100; child: depth 2)', () => {
    expect(inv.hostVars('h1').level).toBe('child');
  });

  it('between groups of equal depth, the higher ansible_group_priority wins', () => {
    expect(inv.hostVars('h1').sibling).toBe('alpha');
    expect(inv.hostVars('h4').prio).toBe('important');
    expect(inv.groups.get('important')?.priority).toBe(10);
  });

  it('between groups of equal depth and priority, the later name wins', () => {
    expect(inv.hostVars('h3').sibling).toBe('zeta');
  });

  it('keeps ansible_group_priority out of the variables when set inline', () => {
    expect(inv.hostVars('h4')).not.toHaveProperty('ansible_group_priority');
    expect(inv.groups.get('important')?.vars).not.toHaveProperty('ansible_group_priority');
  });

  it('host vars win over every group; host_vars files over inline host vars', () => {
    expect(inv.hostVars('h2').level).toBe('host-file');
  });

  it('group_vars/all beats inline vars of any group (Ansible loads files after inline vars)', () => {
    expect(inv.hostVars('h1').quirk).toBe('all-file');
  });

  it("the playbook's group_vars/host_vars win over the inventory's", () => {
    const { inv: pb } = load('precedence/hosts.yml', { playbookDir: fixture('precedence/playbook') });
    expect(pb.hostVars('h1').file_all).toBe('playbook');
    expect(pb.hostVars('h2').level).toBe('host-playbook-file');
    expect(pb.hostVars('h1').file_child).toBe('inventory');
  });

  it('the same directory as inventory and playbook dir changes nothing', () => {
    const { inv: same } = load('precedence/hosts.yml', { playbookDir: fixture('precedence') });
    for (const h of inv.hostNames) expect(same.hostVars(h)).toEqual(inv.hostVars(h));
  });
});
