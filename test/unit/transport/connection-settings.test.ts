import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { OpenSshTransport } from '../../../src/transport/openssh.js';
import { SshTransport } from '../../../src/transport/ssh.js';
import { connectionSettingsFromVars, openTransport } from '../../../src/transport/index.js';

describe('connectionSettingsFromVars', () => {
  it('applies Ansible defaults', () => {
    expect(connectionSettingsFromVars('web01', {})).toEqual({
      host: 'web01',
      address: 'web01',
      port: 22,
      user: userInfo().username,
      connection: 'ssh',
      trustOnFirstUse: false,
      knownHostsFile: join(homedir(), '.ssh', 'known_hosts'),
      connectTimeoutMs: 15_000,
    });
  });

  it('maps the connection variables, coercing strings of numbers and expanding ~', () => {
    const s = connectionSettingsFromVars(
      'web01',
      {
        ansible_host: '192.168.56.11',
        ansible_port: '2222',
        ansible_user: 'vagrant',
        ansible_ssh_private_key_file: '~/.ssh/lab_key',
        ansible_password: 1234,
        ansible_become_password: 'pw',
        provision_known_hosts_file: '~/lab/known_hosts',
        unrelated: { nested: true },
      },
      { trustOnFirstUse: true, connectTimeoutMs: 3000 },
    );
    expect(s).toMatchObject({
      address: '192.168.56.11',
      port: 2222,
      user: 'vagrant',
      privateKeyFile: join(homedir(), '.ssh/lab_key'),
      password: '1234',
      becomePassword: 'pw',
      knownHostsFile: join(homedir(), 'lab/known_hosts'),
      trustOnFirstUse: true,
      connectTimeoutMs: 3000,
    });
  });

  it('accepts the older ansible_ssh_* spellings', () => {
    const s = connectionSettingsFromVars('h', {
      ansible_ssh_host: '10.0.0.1',
      ansible_ssh_port: 2200,
      ansible_ssh_user: 'u',
      ansible_ssh_pass: 'p',
      ansible_become_pass: 'b',
    });
    expect(s).toMatchObject({ address: '10.0.0.1', port: 2200, user: 'u', password: 'p', becomePassword: 'b' });
  });

  it('lets inventory variables win over command-line user and key, as Ansible does', () => {
    const cli = { user: 'cli', privateKeyFile: '/cli/key' };
    expect(connectionSettingsFromVars('h', {}, cli)).toMatchObject({ user: 'cli', privateKeyFile: '/cli/key' });
    expect(
      connectionSettingsFromVars('h', { ansible_user: 'inv', ansible_ssh_private_key_file: '/inv/key' }, cli),
    ).toMatchObject({ user: 'inv', privateKeyFile: '/inv/key' });
  });

  it('knows local connections', () => {
    expect(connectionSettingsFromVars('ctl', { ansible_connection: 'local' }).connection).toBe('local');
    expect(connectionSettingsFromVars('ctl', { ansible_connection: 'smart' }).connection).toBe('ssh');
  });

  it.each([
    [{ ansible_connection: 'winrm' }, /ansible_connection must be 'ssh' or 'local', got "winrm"/],
    [{ ansible_port: 'ssh' }, /ansible_port must be a port number/],
    [{ ansible_port: 70000 }, /ansible_port must be a port number \(1-65535\), got 70000/],
    [{ ansible_port: 22.5 }, /ansible_port must be a whole port number/],
    [{ ansible_host: ['a'] }, /ansible_host/],
    [{ provision_control_persist: 'a minute' }, /provision_control_persist must be a number of seconds, got "a minute"/],
    [{ provision_control_persist: -1 }, /provision_control_persist must be 0 \(off\) or a number of seconds/],
  ])('rejects %j with an InputError naming the host and variable', (vars, message) => {
    let error: unknown;
    try {
      connectionSettingsFromVars('web01', vars);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^host 'web01': /);
    expect((error as Error).message).toMatch(message);
  });
});

describe('openTransport', () => {
  it('picks the implementation without connecting', () => {
    expect(openTransport(connectionSettingsFromVars('ctl', { ansible_connection: 'local' }))).toBeInstanceOf(
      LocalTransport,
    );
    const ssh = openTransport(connectionSettingsFromVars('nowhere', { ansible_host: '127.0.0.1', ansible_port: 1 }));
    expect(ssh).toBeInstanceOf(SshTransport);
    expect(ssh.roundTrips).toBe(0);
  });

  it("keeps connections with OpenSSH's client only when asked, and not for a password login or a first-use key", () => {
    const vars = { ansible_host: '127.0.0.1', ansible_port: 1 };
    expect(connectionSettingsFromVars('h', { ...vars, provision_control_persist: '60' }).controlPersistSeconds).toBe(60);
    expect(openTransport(connectionSettingsFromVars('h', { ...vars, provision_control_persist: 60 }))).toBeInstanceOf(OpenSshTransport);
    expect(openTransport(connectionSettingsFromVars('h', { ...vars, provision_control_persist: 0 }))).toBeInstanceOf(SshTransport);
    expect(openTransport(connectionSettingsFromVars('h', { ...vars, provision_control_persist: 60, ansible_password: 'pw' }))).toBeInstanceOf(SshTransport);
    expect(openTransport(connectionSettingsFromVars('h', { ...vars, provision_control_persist: 60 }, { trustOnFirstUse: true }))).toBeInstanceOf(SshTransport);
  });
});
