import { describe, expect, it } from 'vitest';
import { parseUfwState, parseUfwTuple, ufwState, type UfwState } from '../../../src/facts/ufw.js';
import { modulesByName } from '../../../src/modules/index.js';
import ufw, { familiesOf, normalizeAddress } from '../../../src/modules/ufw.js';
import { fixture } from '../facts/fixture.js';
import { checkCase, type TableCase } from './fact-table.js';

const fresh = parseUfwState(fixture('ufw-fresh'));
const lb01 = parseUfwState(fixture('ufw-lb01-enabled'));
const web02 = parseUfwState(fixture('ufw-web02-enabled'));
const facts = (st: UfwState) => ({ [ufwState().key]: st });
const notInstalled: UfwState = { ...fresh, installed: false, rules: [] };
const noV6: UfwState = { ...fresh, ipv6: false };
const P = 'provision: ';
/** lb01 with VRRP allowed from lb02 (the tuple ufw 0.36.2 wrote for `ufw allow proto vrrp from 192.168.56.13`). */
const vrrpTuple = parseUfwTuple('### tuple ### allow vrrp any 0.0.0.0/0 any 192.168.56.13 in comment=70726f766973696f6e3a2076727270', false)!;
const lbVrrp: UfwState = { ...lb01, rules: [...lb01.rules, vrrpTuple] };
/** lb01's rules as the role keeps them. */
const lbKeep = [
  { rule: 'allow', port: 22, proto: 'tcp', from: 'any', comment: `${P}ssh` },
  { rule: 'allow', port: 80, proto: 'tcp', from: 'any' },
  { rule: 'allow', port: 443, proto: 'tcp', from: 'any' },
  { rule: 'allow', port: 9100, proto: 'tcp', from: '192.168.56.1' },
];

const cases: TableCase[] = [
  // rules
  { name: 'rule present (v4 and v6 halves): no action, one round', args: { rule: 'allow', port: 443, proto: 'tcp', comment: `${P}https` }, facts: facts(lb01), expect: { commands: [], rounds: 1 } },
  { name: 'rule from one address present', args: { rule: 'allow', port: '9100', proto: 'tcp', from_ip: '192.168.56.1', comment: `${P}node_exporter` }, facts: facts(lb01), expect: { commands: [] } },
  { name: 'from/src aliases and /32 mean the same address', args: { rule: 'allow', port: 9100, proto: 'tcp', src: '192.168.56.1/32' }, facts: facts(lb01), expect: { commands: [] } },
  {
    name: 'missing rule is added with its comment',
    args: { rule: 'allow', port: 80, proto: 'tcp', from: '192.168.56.10', comment: `${P}nginx's` },
    facts: facts(fresh),
    expect: { commands: [`ufw allow proto tcp from 192.168.56.10 to any port 80 comment 'provision: nginx'\\''s'`] },
  },
  { name: 'proto any omits proto', args: { rule: 'deny', port: 25 }, facts: facts(fresh), expect: { commands: ['ufw deny from any to any port 25'] } },
  { name: 'only the v6 half missing: added again', args: { rule: 'allow', port: 9100, proto: 'tcp' }, facts: facts({ ...fresh, rules: lb01.rules.filter((r) => r.dport === '9100') }), expect: { commands: ['ufw allow proto tcp from any to any port 9100'] } },
  { name: 'with IPv6 off an any rule needs only its v4 half', args: { rule: 'allow', port: 22, proto: 'tcp' }, facts: facts({ ...noV6, rules: lb01.rules.filter((r) => !r.v6) }), expect: { commands: [] } },
  { name: 'a different comment is updated (ufw replaces it)', args: { rule: 'allow', port: 443, proto: 'tcp', comment: `${P}tls` }, facts: facts(lb01), expect: { commands: [`ufw allow proto tcp from any to any port 443 comment 'provision: tls'`] } },
  { name: 'no comment asked: an existing comment is fine', args: { rule: 'allow', port: 443, proto: 'tcp' }, facts: facts(lb01), expect: { commands: [] } },
  { name: 'allow → limit replaces the action (once: then it matches)', args: { rule: 'limit', port: 22, proto: 'tcp', comment: `${P}ssh` }, facts: facts(lb01), expect: { commands: [`ufw limit proto tcp from any to any port 22 comment 'provision: ssh'`] } },
  { name: 'insert within the rules', args: { rule: 'allow', port: 2222, proto: 'tcp', insert: 1 }, facts: facts(lb01), expect: { commands: ['ufw insert 1 allow proto tcp from any to any port 2222'] } },
  { name: 'insert beyond the rules appends (ufw: Invalid position)', args: { rule: 'allow', port: 22, proto: 'tcp', insert: 1 }, facts: facts(fresh), expect: { commands: ['ufw allow proto tcp from any to any port 22'] } },
  { name: 'an update is never inserted (ufw would skip it)', args: { rule: 'allow', port: 22, proto: 'tcp', insert: 1, comment: 'x' }, facts: facts(lb01), expect: { commands: [`ufw allow proto tcp from any to any port 22 comment x`] } },
  { name: 'outgoing rule', args: { rule: 'deny', direction: 'out', port: 25, proto: 'tcp' }, facts: facts(fresh), expect: { commands: ['ufw deny out proto tcp from any to any port 25'] } },
  { name: 'port range with proto', args: { rule: 'allow', port: '60000:61000', proto: 'udp' }, facts: facts(fresh), expect: { commands: ['ufw allow proto udp from any to any port 60000:61000'] } },
  // portless protocols (ufw 0.36.2: esp, ah, gre, vrrp, igmp, ipv6)
  { name: 'vrrp from a peer is added without a port', args: { rule: 'allow', proto: 'vrrp', from_ip: '192.168.56.13', comment: `${P}vrrp` }, facts: facts(lb01), expect: { commands: [`ufw allow proto vrrp from 192.168.56.13 to any comment 'provision: vrrp'`] } },
  { name: 'port any means no port (a list of rules where some have none)', args: { rule: 'allow', port: 'any', proto: 'vrrp', from_ip: '192.168.56.13', comment: `${P}vrrp` }, facts: facts(lbVrrp), expect: { commands: [], rounds: 1 } },
  { name: 'vrrp from another peer is another rule', args: { rule: 'allow', port: 'any', proto: 'vrrp', from_ip: '192.168.56.14' }, facts: facts(lbVrrp), expect: { commands: ['ufw allow proto vrrp from 192.168.56.14 to any'] } },
  { name: 'igmp from anywhere has no IPv6 half (ufw: IPv4 only)', args: { rule: 'allow', proto: 'igmp' }, facts: facts({ ...fresh, rules: [parseUfwTuple('### tuple ### allow igmp any 0.0.0.0/0 any 0.0.0.0/0 in', false)!] }), expect: { commands: [] } },
  { name: 'prune: a kept vrrp rule (port any) stays', args: { prune_managed: { prefix: P, keep: [...lbKeep, { rule: 'allow', port: 'any', proto: 'vrrp', from: '192.168.56.13' }] } }, facts: facts(lbVrrp), expect: { commands: [] } },
  { name: 'prune: a vrrp rule no longer listed is deleted', args: { prune_managed: { prefix: P, keep: lbKeep } }, facts: facts(lbVrrp), expect: { commands: ['ufw delete allow proto vrrp from 192.168.56.13 to any'] } },
  // delete
  { name: 'delete an existing rule', args: { rule: 'allow', port: 80, proto: 'tcp', delete: true }, facts: facts(lb01), expect: { commands: ['ufw delete allow proto tcp from any to any port 80'] } },
  { name: 'delete a missing rule: nothing', args: { rule: 'allow', port: 8080, proto: 'tcp', delete: true }, facts: facts(lb01), expect: { commands: [] } },
  { name: 'delete needs the same action, as ufw', args: { rule: 'deny', port: 80, proto: 'tcp', delete: true }, facts: facts(lb01), expect: { commands: [] } },
  // policies
  { name: 'default deny incoming already', args: { default: 'deny', direction: 'incoming' }, facts: facts(fresh), expect: { commands: [] } },
  { name: 'policy alias, outgoing changed', args: { policy: 'deny', direction: 'outgoing' }, facts: facts(fresh), expect: { commands: ['ufw default deny outgoing'] } },
  { name: 'default without direction is incoming', args: { default: 'reject' }, facts: facts(fresh), expect: { commands: ['ufw default reject incoming'] } },
  // state
  { name: 'enable a disabled ufw', args: { state: 'enabled' }, facts: facts(fresh), expect: { commands: ['ufw --force enable'] } },
  { name: 'enabled already', args: { state: 'enabled' }, facts: facts(lb01), expect: { commands: [], rounds: 1 } },
  { name: 'disable', args: { state: 'disabled' }, facts: facts(lb01), expect: { commands: ['ufw disable'] } },
  { name: 'disabled already', args: { state: 'disabled' }, facts: facts(fresh), expect: { commands: [] } },
  { name: 'reload is always a change', args: { state: 'reloaded' }, facts: facts(lb01), expect: { commands: ['ufw reload'] } },
  { name: 'order in one task: policy, rule, then enable', args: { state: 'enabled', default: 'deny', direction: 'incoming', rule: 'allow', port: 22, proto: 'tcp' }, facts: facts({ ...fresh, policies: { ...fresh.policies, incoming: 'allow' } }), expect: { commands: ['ufw default deny incoming', 'ufw allow proto tcp from any to any port 22', 'ufw --force enable'] } },
  // not installed yet (check mode on a fresh host): every change predicted, nothing fails
  { name: 'not installed: rule, policy and enable predicted', args: { state: 'enabled', default: 'deny', rule: 'allow', port: 22, proto: 'tcp' }, check: true, facts: facts(notInstalled), expect: { commands: ['ufw default deny incoming', 'ufw allow proto tcp from any to any port 22', 'ufw --force enable'] } },
  // prune_managed
  { name: 'prune: everything kept', args: { prune_managed: { prefix: P, keep: lbKeep } }, facts: facts(lb01), expect: { commands: [], rounds: 1 } },
  {
    name: 'prune: a dropped any rule goes with both halves in one delete',
    args: { prune_managed: { prefix: P, keep: lbKeep.filter((k) => k.port !== 443) } },
    facts: facts(lb01),
    expect: { commands: ['ufw delete allow proto tcp from any to any port 443'] },
  },
  {
    name: 'prune: a source address no longer listed',
    args: { prune_managed: { prefix: P, keep: [{ port: 22, proto: 'tcp' }, { port: 80, proto: 'tcp', from_ip: '192.168.56.10' }, { port: 9100, proto: 'tcp', from: '192.168.56.1' }] } },
    facts: facts(web02),
    expect: { commands: ['ufw delete allow proto tcp from 192.168.56.11 to any port 3306'] },
  },
  {
    name: 'prune: a kept port with another action is deleted (the rule task re-adds it)',
    args: { prune_managed: { prefix: P, keep: lbKeep.map((k) => (k.port === 80 ? { ...k, rule: 'limit' } : k)) } },
    facts: facts(lb01),
    expect: { commands: ['ufw delete allow proto tcp from any to any port 80'] },
  },
  {
    name: 'prune: rules without the prefix are not ours',
    args: { prune_managed: { prefix: 'other: ', keep: [] } },
    facts: facts(lb01),
    expect: { commands: [] },
  },
];

describe('ufw', () => {
  it.each(cases)('$name', (c) => checkCase(ufw, c, expect));

  it.each([
    [{}],
    [{ port: 22 }],
    [{ rule: 'allow', port: '80,443' }],
    [{ rule: 'allow', port: 'ssh' }],
    [{ rule: 'allow', direction: 'routed', port: 80 }],
    [{ default: 'deny', policy: 'deny' }],
    [{ rule: 'accept', port: 80 }],
    [{ rule: 'allow', port: 112, proto: 'vrrp' }],
    [{ rule: 'allow', proto: 'sctp' }],
  ])('rejects %o', (a) => expect(ufw.args.safeParse(a).success).toBe(false));

  it('is registered as ufw and community.general.ufw', () => {
    expect(modulesByName.get('ufw')).toBe(ufw);
    expect(modulesByName.get('community.general.ufw')).toBe(ufw);
  });
});

describe('address helpers', () => {
  it('normalises any and host prefixes', () => {
    expect(['any', '0.0.0.0/0', '::/0', 'ANY'].map(normalizeAddress)).toEqual(['any', 'any', 'any', 'any']);
    expect(normalizeAddress('10.0.0.1/32')).toBe('10.0.0.1');
    expect(normalizeAddress('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(normalizeAddress('fd00::1/128')).toBe('fd00::1');
  });
  it('puts a rule in the address families it can live in', () => {
    const base = { rule: 'allow', proto: 'tcp', direction: 'in', port: '22' } as const;
    expect(familiesOf({ ...base, from: 'any', to: 'any' }, true)).toEqual([false, true]);
    expect(familiesOf({ ...base, from: 'any', to: 'any' }, false)).toEqual([false]);
    expect(familiesOf({ ...base, from: 'fd00::1', to: 'any' }, true)).toEqual([true]);
    expect(familiesOf({ ...base, from: '10.0.0.1', to: 'any' }, true)).toEqual([false]);
  });
});
