// --roles-path (docs/PLAYBOOKS.md): roles found in extra directories, after roles/, for run, role and validate.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, provision, tempDir } from './cli.js';

describe('--roles-path', { timeout: 60_000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let playbook: string;
  let shared: string;
  let other: string;

  beforeAll(() => {
    ensureBuilt();
    tmp = tempDir();
    shared = join(tmp.dir, 'shared-roles');
    other = join(tmp.dir, 'other-roles');
    mkdirSync(join(shared, 'greet/tasks'), { recursive: true });
    mkdirSync(other);
    writeFileSync(join(shared, 'greet/tasks/main.yaml'), '- name: say hello\n  debug:\n    msg: hello from the shared role\n');
    mkdirSync(join(tmp.dir, 'site'));
    playbook = join(tmp.dir, 'site/site.yaml');
    writeFileSync(playbook, '- hosts: localhost\n  gather_facts: false\n  roles: [greet]\n');
    writeFileSync(join(tmp.dir, 'site/inventory.yaml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  });
  afterAll(() => tmp.cleanup());

  it('without it, a role outside roles/ is not found', () => {
    const r = provision(['validate', playbook], { home: tmp.dir });
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/greet/);
  });

  it('validate finds it in a colon-separated list', () => {
    const r = provision(['validate', playbook, '--roles-path', `${other}:${shared}`], { home: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('valid (1 plays, 1 roles, 1 tasks');
    expect(r.status).toBe(0);
  });

  it('run and role use it too', () => {
    const inventory = join(tmp.dir, 'site/inventory.yaml');
    const run = provision(['run', playbook, '-i', inventory, '--roles-path', other, '--roles-path', shared], { home: tmp.dir });
    expect(run.stdout).toContain('hello from the shared role');
    expect(run.status).toBe(0);
    const role = provision(['role', 'greet', '-i', inventory, '--no-become', '--roles-path', shared], { home: tmp.dir, cwd: tmp.dir });
    expect(role.stdout).toContain('hello from the shared role');
    expect(role.status).toBe(0);
  });
});
