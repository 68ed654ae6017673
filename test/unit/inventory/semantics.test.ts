// What a loaded inventory means: hosts, groups, membership, implicit localhost, host lists.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryFromHostList, loadInventory } from '../../../src/core/inventory/index.js';
import { fixture, load } from './fixture.js';

function inline(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'inv-'));
  const file = join(dir, 'hosts.yaml');
  writeFileSync(file, yaml);
  const warnings: string[] = [];
  return { inv: loadInventory(file, { warn: (m) => warnings.push(m) }), warnings, dir };
}

describe('hosts and groups', () => {
  const { inv } = load('basic/hosts.yaml');

  it('lists hosts in inventory order (all\'s own hosts, then its groups level by level)', () => {
    expect(inv.hostNames).toEqual([
      'bastion', 'monitor', 'web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c', 'node1', 'node4', 'node7',
    ]);
  });

  it('keeps the built-in groups and the ones defined, in definition order', () => {
    expect([...inv.groups.keys()]).toEqual(['all', 'ungrouped', 'web', 'db', 'dc1', 'batch']);
    expect(inv.groups.get('all')?.children).toEqual(['ungrouped', 'web', 'db', 'dc1', 'batch']);
    expect(inv.groups.get('dc1')?.children).toEqual(['web', 'db']);
    expect(inv.groups.get('ungrouped')?.hosts).toEqual(['bastion', 'monitor']);
  });

  it('puts a host listed in two groups in both', () => {
    expect(inv.groups.get('web')?.hosts).toContain('web03');
    expect(inv.groups.get('db')?.hosts).toContain('web03');
    expect(inv.groupsOf('web03')).toEqual(['all', 'web', 'db', 'dc1']);
    expect(inv.groupsOf('bastion')).toEqual(['all', 'ungrouped']);
  });

  it('gives each group all hosts below it (the `groups` variable)', () => {
    const members = inv.groupMembers();
    expect(members.dc1).toEqual(['web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c']);
    expect(members.all).toEqual(inv.hostNames);
    expect(members.batch).toEqual(['node1', 'node4', 'node7']);
  });

  it('reads host:port keys as the host with ansible_port', () => {
    expect(inv.hostNames).toContain('monitor');
    expect(inv.hostVars('monitor').ansible_port).toBe(2222);
  });

  it('keeps connection variables as plain variables', () => {
    expect(inv.hostVars('bastion')).toMatchObject({ ansible_host: '192.0.2.10', ansible_user: 'deploy' });
    expect(inv.hostVars('web01').ansible_ssh_private_key_file).toBe('~/.ssh/web01');
    expect(inv.hostVars('db-a').ansible_become).toBe(true);
  });

  it('exposes a group\'s own vars merged with its group_vars files', () => {
    expect(inv.groups.get('web')?.vars).toEqual({ role_label: 'web-from-file', nginx_workers: 4 });
    expect(inv.groups.get('db')?.vars).toMatchObject({ mysql_port: 3306, mysql_buffer: '256M', ansible_become: true });
  });

  it('refuses variables of a host that is not in the inventory, suggesting the nearest name', () => {
    expect(() => inv.hostVars('web1')).toThrow(/unknown host 'web1'.*\n.*did you mean 'web01'/s);
  });
});

describe('group_vars and host_vars', () => {
  const { inv } = load('basic/hosts.yaml');

  it('reads NAME.yaml, NAME.yml and NAME without extension', () => {
    expect(inv.hostVars('web02')).toMatchObject({ from_group_vars_all: true, nginx_workers: 4, dns: ['192.0.2.53', '192.0.2.54'] });
  });

  it('merges a NAME/ directory in lexical order, skipping hidden files and other extensions', () => {
    const vars = inv.hostVars('db-b');
    expect(vars.mysql_buffer).toBe('256M');
    expect(vars.mysql_port).toBe(3306);
    expect(vars).not.toHaveProperty('ignored');
    expect(inv.hostVars('db-a').mysql_role).toBe('primary');
  });

  it('reads group_vars/host_vars beside the playbook too', () => {
    const { inv: withPlaybook } = load('precedence/hosts.yml', { playbookDir: fixture('precedence/playbook') });
    expect(withPlaybook.hostVars('h1').file_all).toBe('playbook');
    expect(withPlaybook.groups.get('all')?.vars.file_all).toBe('playbook');
  });
});

describe('implicit localhost', () => {
  it('exists when the inventory does not define it, with a local connection and all\'s vars', () => {
    const { inv } = load('basic/hosts.yaml');
    expect(inv.hostNames).not.toContain('localhost');
    expect(inv.select('all')).not.toContain('localhost');
    expect(inv.select('localhost')).toEqual(['localhost']);
    expect(inv.select('web01:localhost')).toEqual(['web01', 'localhost']);
    expect(inv.hostVars('localhost')).toMatchObject({ ansible_connection: 'local', ansible_user: 'deploy' });
    expect(inv.groupsOf('localhost')).toEqual([]);
  });

  it('is the defined host when the inventory lists localhost', () => {
    const { inv } = inline('all:\n  hosts:\n    localhost:\n      ansible_connection: ssh\n');
    expect(inv.select('localhost')).toEqual(['localhost']);
    expect(inv.select('127.0.0.1')).toEqual(['localhost']);
    expect(inv.hostVars('localhost').ansible_connection).toBe('ssh');
  });
});

describe('YAML as Ansible reads it (PyYAML, YAML 1.1)', () => {
  it('reads yes/no/on/off as booleans and 0644 as octal, but y/n as strings', () => {
    const { inv } = load('toplevel/inventory.yaml');
    expect(inv.hostVars('www1.example.com')).toMatchObject({ enabled: true, off_switch: false, mode: 0o644, answer: 'y' });
  });

  it('warns about an empty inventory file and yields no hosts', () => {
    const { inv, warnings } = inline('# nothing yet\n');
    expect(inv.hostNames).toEqual([]);
    expect(warnings.join()).toMatch(/empty inventory/);
  });

  it('warns about a name that is both a group and a host, as Ansible does', () => {
    const { warnings } = inline('all:\n  children:\n    web:\n      hosts:\n        web:\n');
    expect(warnings).toEqual(['Found both group and host with same name: web']);
  });
});

describe('inventoryFromHostList (-i a,b,)', () => {
  it('puts each host in ungrouped, with an optional port', () => {
    const inv = inventoryFromHostList('web01, web02:2222,,192.0.2.7,');
    expect(inv.hostNames).toEqual(['web01', 'web02', '192.0.2.7']);
    expect(inv.groups.get('ungrouped')?.hosts).toEqual(['web01', 'web02', '192.0.2.7']);
    expect(inv.hostVars('web02')).toEqual({ ansible_port: 2222 });
    expect(inv.hostVars('web01')).toEqual({});
    expect(inv.select('all')).toEqual(['web01', 'web02', '192.0.2.7']);
  });

  it('is empty but for the implicit localhost when given nothing', () => {
    const inv = inventoryFromHostList('');
    expect(inv.hostNames).toEqual([]);
    expect(inv.select('localhost')).toEqual(['localhost']);
  });

  it('reads host_vars beside the playbook', () => {
    const inv = inventoryFromHostList('h2,', { playbookDir: fixture('precedence/playbook') });
    expect(inv.hostVars('h2')).toEqual({ level: 'host-playbook-file', file_all: 'playbook' });
  });
});
