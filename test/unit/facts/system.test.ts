import { describe, expect, it } from 'vitest';
import { parsePortState, portState } from '../../../src/facts/network.js';
import { parseServiceState } from '../../../src/facts/services.js';
import { parseSysctlLine, parseSysctlValue, persistedSysctl, sysctlProcPath } from '../../../src/facts/sysctl.js';
import { parseGroupInfo, parseUserInfo, userInfo } from '../../../src/facts/users.js';
import { fixture } from './fixture.js';

describe('serviceState', () => {
  it('parses a running enabled unit', () => {
    expect(parseServiceState(fixture('service-active'))).toEqual({
      exists: true, loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled', needDaemonReload: false,
    });
  });
  it('parses a missing unit and a stale one', () => {
    expect(parseServiceState(fixture('service-missing'))).toMatchObject({ exists: false, unitFileState: '' });
    expect(parseServiceState(fixture('service-stale'))).toMatchObject({ exists: true, activeState: 'inactive', needDaemonReload: true });
  });
  it('fails readably without systemd', () => {
    expect(() => parseServiceState(fixture('service-no-systemd'))).toThrow(/not been booted with systemd/);
  });
});

describe('userInfo / groupInfo', () => {
  it('parses root and nobody', () => {
    expect(parseUserInfo(fixture('user-root'))).toEqual({
      exists: true, name: 'root', uid: 0, gid: 0, comment: 'root', home: '/root', shell: '/bin/bash', group: 'root', groups: [],
    });
    expect(parseUserInfo(fixture('user-nobody'))).toMatchObject({ uid: 65534, group: 'nogroup', shell: '/usr/sbin/nologin' });
    expect(parseUserInfo(fixture('user-absent'))).toEqual({ exists: false });
  });
  it('separates supplementary groups and reads the shadow hash', () => {
    const out = 'deploy:x:1001:1001:Deploy,,,:/home/deploy:/bin/bash\ngroup:deploy\ngroups:deploy sudo www-data\nshadow:$6$salt$hash\n';
    expect(parseUserInfo({ code: 0, stdout: out, stderr: '' })).toMatchObject({ groups: ['sudo', 'www-data'], passwordHash: '$6$salt$hash', comment: 'Deploy,,,' });
    expect(userInfo('x', { password: true }).key).not.toBe(userInfo('x').key);
  });
  it('parses groups', () => {
    expect(parseGroupInfo(fixture('group-sudo'))).toEqual({ exists: true, name: 'sudo', gid: 27, members: [] });
    expect(parseGroupInfo(fixture('group-absent'))).toEqual({ exists: false });
    expect(parseGroupInfo({ code: 0, stdout: 'adm:x:4:syslog,alice\n', stderr: '' })).toMatchObject({ members: ['syslog', 'alice'] });
  });
});

describe('sysctl', () => {
  it('reads the live value and the last persisted line (tabs collapsed, ; comments skipped)', () => {
    expect(parseSysctlValue(fixture('sysctl-range'), 'net.ipv4.ip_local_port_range')).toEqual({ current: '32768 60999', persisted: '1024 65000' });
    expect(parseSysctlValue(fixture('sysctl-absent'), 'net.no.such.key')).toEqual({});
  });
  it('parses lines', () => {
    expect(parseSysctlLine('  -vm.swappiness =  10 ')).toEqual({ key: 'vm.swappiness', value: '10' });
    expect(parseSysctlLine('# vm.swappiness=1')).toBeUndefined();
    expect(persistedSysctl('a=1\na = 2\n', 'a')).toBe('2');
    expect(sysctlProcPath('net.ipv4.ip_forward')).toBe('/proc/sys/net/ipv4/ip_forward');
  });
});

describe('portState', () => {
  it('parses the captured closed port and an open one', () => {
    expect(parsePortState(fixture('port-closed'))).toBe('closed');
    expect(parsePortState({ code: 0, stdout: 'open\n', stderr: '' })).toBe('open');
  });
  it('quotes the /dev/tcp path inside bash -c', () => {
    expect(portState('db.local', 3306).command).toContain("bash -c 'exec 3<>/dev/tcp/db.local/3306'");
  });
});
