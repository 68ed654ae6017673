import { describe, expect, it } from 'vitest';
import { decodeUfwComment, parseUfwState, parseUfwTuple, ufwState } from '../../../src/facts/ufw.js';
import { fixture } from './fixture.js';

describe('ufwState', () => {
  it('reads a fresh Debian install: disabled, Debian default policies, no rules', () => {
    expect(parseUfwState(fixture('ufw-fresh'))).toEqual({
      installed: true,
      enabled: false,
      ipv6: true,
      policies: { incoming: 'deny', outgoing: 'allow', routed: 'deny' },
      rules: [],
    });
  });

  it('reads the rules of an enabled host, IPv4 then IPv6, comments decoded', () => {
    const st = parseUfwState(fixture('ufw-lb01-enabled'));
    expect(st.enabled).toBe(true);
    expect(st.rules.map((r) => `${r.v6 ? 'v6 ' : ''}${r.action} ${r.dport}/${r.proto} from ${r.src}`)).toEqual([
      'allow 22/tcp from 0.0.0.0/0',
      'allow 80/tcp from 0.0.0.0/0',
      'allow 443/tcp from 0.0.0.0/0',
      'allow 9100/tcp from 192.168.56.1',
      'v6 allow 22/tcp from ::/0',
      'v6 allow 80/tcp from ::/0',
      'v6 allow 443/tcp from ::/0',
    ]);
    expect(st.rules[1]?.comment).toBe('provision: http (redirect to https, ACME challenges)');
    expect(parseUfwState(fixture('ufw-web02-enabled')).rules.filter((r) => r.v6)).toHaveLength(1);
  });

  it('knows when ufw is not installed or IPv6 is off', () => {
    const out = `==> /etc/ufw/ufw.conf\n<absent>\n==> /etc/default/ufw\n<absent>\n==> /etc/ufw/user.rules\n<absent>\n==> /etc/ufw/user6.rules\n<absent>\n`;
    expect(parseUfwState({ code: 0, stdout: out, stderr: '' })).toMatchObject({ installed: false, enabled: false, ipv6: false, rules: [] });
    const noV6 = fixture('ufw-fresh').stdout.replace('==> ipv6-kernel\n', '');
    expect(parseUfwState({ code: 0, stdout: noV6, stderr: '' }).ipv6).toBe(false);
    const v6Off = fixture('ufw-fresh').stdout.replace('IPV6=yes', 'IPV6=no');
    expect(parseUfwState({ code: 0, stdout: v6Off, stderr: '' }).ipv6).toBe(false);
  });

  it('fails readably when the probe did not run', () => {
    expect(() => parseUfwState({ code: 1, stdout: '', stderr: 'sudo: a password is required' })).toThrow(/cannot read the ufw files: sudo/);
  });

  it('the probe is read-only and one command', () => {
    expect(ufwState().command).not.toMatch(/\bufw\b (allow|enable|delete)/);
    expect(ufwState().command).toContain('/etc/ufw/user6.rules');
  });
});

describe('parseUfwTuple', () => {
  it('parses log, interface and application forms', () => {
    expect(parseUfwTuple('### tuple ### limit_log tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth1', false)).toMatchObject({
      action: 'limit', log: 'log', dport: '22', direction: 'in', iface: 'eth1', comment: '',
    });
    expect(parseUfwTuple('### tuple ### allow tcp 80,443 0.0.0.0/0 any 0.0.0.0/0 Nginx%20Full - in', false)).toMatchObject({ dapp: 'Nginx%20Full', sapp: '-', direction: 'in' });
    expect(parseUfwTuple('-A ufw-user-input -p tcp --dport 22 -j ACCEPT', false)).toBeUndefined();
  });
  it('decodes hex comments, keeps anything else', () => {
    expect(decodeUfwComment('782079')).toBe('x y');
    expect(decodeUfwComment('not-hex')).toBe('not-hex');
  });
});
