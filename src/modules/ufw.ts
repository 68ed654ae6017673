// ufw: community.general.ufw's names for the subset the stack needs (default policies, rules,
// enable/disable/reload), planned from UFW's own files (facts/ufw.ts) in one round trip, plus
// `prune_managed`: delete the rules a role marked with a comment prefix that it no longer wants.
// Order within one task: policy, rule, prune, then state (enabling last can never lock SSH out of
// a rule added in the same task).

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { ufwState, type UfwState, type UfwTuple } from '../facts/ufw.js';
import { argSpec } from './arg-spec.js';
import { bool, int } from './args.js';
import { defineModule, type ExecAction, type Plan } from './types.js';

const ACTIONS = ['allow', 'deny', 'limit', 'reject'] as const;
/** ufw 0.36.2's protocols (util.py supported_protocols); those after tcp and udp have no ports. */
const PROTOS = ['tcp', 'udp', 'any', 'esp', 'ah', 'gre', 'vrrp', 'igmp', 'ipv6'] as const;
const PORTLESS: readonly string[] = ['esp', 'ah', 'gre', 'vrrp', 'igmp', 'ipv6'];
/** ufw keeps these for IPv4 only (util.py ipv4_only_protocols): an any/any rule has no IPv6 half. */
const IPV4_ONLY: readonly string[] = ['igmp', 'ipv6'];
/**
 * A port, a range `8000:8010` or a list `80,443` (ufw's syntax); numbers accepted. `any` means no port,
 * as in ufw's own rule tuples (for a list of rules where protocols such as vrrp have no port).
 */
const port = () =>
  z
    .union([z.string(), z.number().int()])
    .transform((v) => String(v).trim())
    .refine((v) => v === 'any' || /^\d+(:\d+)?(,\d+(:\d+)?)*$/.test(v), { message: 'a port, a range 8000:8010, a list 80,443 or any' });
const address = () => z.string().trim().min(1);

/** The fields that identify a rule (ufw ignores the comment when matching). */
const ruleFields = {
  rule: z.enum(ACTIONS).optional(),
  port: port().optional(),
  proto: z.enum(PROTOS).optional(),
  from_ip: address().optional(),
  to_ip: address().optional(),
};

/** community.general.ufw's other names (its to_port is port here, the name the roles use). */
const ruleAliases = { port: ['to_port'], proto: ['protocol'], from_ip: ['from', 'src'], to_ip: ['to', 'dest'] } as const;

export interface UfwRuleSpec {
  rule: (typeof ACTIONS)[number];
  port?: string;
  proto: (typeof PROTOS)[number];
  from: string;
  to: string;
  direction: 'in' | 'out';
}

type RuleFields = { [K in keyof typeof ruleFields]?: z.output<(typeof ruleFields)[K]> };

function toSpec(a: RuleFields, direction: 'in' | 'out'): UfwRuleSpec {
  const spec: UfwRuleSpec = {
    rule: a.rule ?? 'allow',
    proto: a.proto ?? 'any',
    from: normalizeAddress(a.from_ip ?? 'any'),
    to: normalizeAddress(a.to_ip ?? 'any'),
    direction,
  };
  if (a.port !== undefined && a.port !== 'any') spec.port = a.port;
  return spec;
}

/** A rule the caller keeps: rule fields as for `rule`; other keys such as comment are ignored. */
const keepEntry = argSpec(ruleFields, { aliases: ruleAliases, otherKeys: 'ignore' });

const DIRECTIONS = { in: 'in', incoming: 'in', out: 'out', outgoing: 'out', routed: 'routed' } as const;

const args = argSpec(
  {
    state: z.enum(['enabled', 'disabled', 'reloaded']).optional(),
    default: z.enum(['allow', 'deny', 'reject']).optional(),
    direction: z.enum(['in', 'incoming', 'out', 'outgoing', 'routed']).optional(),
    ...ruleFields,
    comment: z.union([z.string(), z.number()]).transform(String).optional(),
    delete: bool().default(false),
    insert: int(z.number().int().positive()).optional(),
    prune_managed: z
      .object({
        /** Rules whose comment starts with this are the caller's. */
        prefix: z.string().min(1),
        /** The caller's rules that stay. */
        keep: z.array(keepEntry).default([]),
      })
      .strict()
      .optional(),
  },
  {
    aliases: { ...ruleAliases, default: ['policy'] },
    requiredOneOf: [['state', 'default', 'rule', 'prune_managed']],
    requiredBy: { port: ['rule'], from_ip: ['rule'], to_ip: ['rule'], comment: ['rule'] },
    checks: [
      [(a) => a.rule === undefined || a.direction !== 'routed', 'routed rules (ufw route) are not supported'],
      [(a) => a.rule === undefined || a.port === undefined || (a.proto ?? 'any') !== 'any' || /^(\d+|any)$/.test(a.port), 'a port range or list needs proto tcp or udp'],
      [(a) => !PORTLESS.includes(a.proto ?? 'any') || (a.port ?? 'any') === 'any', 'esp, ah, gre, vrrp, igmp and ipv6 have no port (give none, or any)'],
    ],
  },
);

type Args = z.output<typeof args>;

const ANY4 = '0.0.0.0/0';
const ANY6 = '::/0';

const isV6 = (addr: string) => addr.includes(':');

/** ufw's spelling: any, an address without a host-length prefix, or a network. */
export function normalizeAddress(addr: string): string {
  const a = addr.trim().toLowerCase();
  if (a === 'any' || a === ANY4 || a === ANY6) return 'any';
  return isV6(a) ? a.replace(/\/128$/, '') : a.replace(/\/32$/, '');
}

/** Address families a rule lives in: an address pins one; any/any is both (v6 only when ufw manages IPv6). */
export function familiesOf(spec: UfwRuleSpec, ipv6: boolean): boolean[] {
  const pinned = [spec.from, spec.to].filter((a) => a !== 'any');
  if (pinned.length > 0) return [isV6(pinned[0]!)];
  return ipv6 && !IPV4_ONLY.includes(spec.proto) ? [false, true] : [false];
}

/** The tuple's rule in spec form (no app rules, no interfaces: those are never ours). */
function tupleMatches(t: UfwTuple, spec: UfwRuleSpec, v6: boolean): boolean {
  return (
    t.v6 === v6 &&
    t.dapp === undefined &&
    t.iface === undefined &&
    t.sport === 'any' &&
    t.direction === spec.direction &&
    t.proto === spec.proto &&
    t.dport === (spec.port ?? 'any') &&
    normalizeAddress(t.src) === spec.from &&
    normalizeAddress(t.dst) === spec.to
  );
}

export function tupleToSpec(t: UfwTuple): UfwRuleSpec | undefined {
  if (!(ACTIONS as readonly string[]).includes(t.action) || !(PROTOS as readonly string[]).includes(t.proto)) return undefined;
  if (t.direction !== 'in' && t.direction !== 'out') return undefined;
  const spec: UfwRuleSpec = {
    rule: t.action as UfwRuleSpec['rule'],
    proto: t.proto as UfwRuleSpec['proto'],
    from: normalizeAddress(t.src),
    to: normalizeAddress(t.dst),
    direction: t.direction,
  };
  if (t.dport !== 'any') spec.port = t.dport;
  return spec;
}

/** `ACTION [out] [proto P] from SRC to DST [port PORT]`, the words after `ufw [delete|insert N]`. */
export function ruleWords(spec: UfwRuleSpec): string {
  const words: string[] = [spec.rule];
  if (spec.direction === 'out') words.push('out');
  if (spec.proto !== 'any') words.push('proto', spec.proto);
  words.push('from', quote(spec.from), 'to', quote(spec.to));
  if (spec.port !== undefined) words.push('port', quote(spec.port));
  return words.join(' ');
}

const ufw = (words: string, describe?: string): ExecAction => ({ kind: 'exec', command: `ufw ${words}`, ...(describe ? { describe } : {}) });

function planPolicy(a: Args, st: UfwState, actions: ExecAction[], why: string[]): void {
  const policy = a.default;
  if (policy === undefined) return;
  const direction = DIRECTIONS[a.direction ?? 'incoming'];
  const key = direction === 'in' ? 'incoming' : direction === 'out' ? 'outgoing' : 'routed';
  if (st.installed && st.policies[key] === policy) return;
  actions.push(ufw(`default ${policy} ${key}`));
  why.push(`default ${key} policy ${st.policies[key]} → ${policy}`);
}

function planRule(a: Args, st: UfwState, actions: ExecAction[], why: string[]): void {
  if (a.rule === undefined) return;
  const direction = DIRECTIONS[a.direction ?? 'in'] === 'out' ? 'out' : 'in';
  const spec = toSpec(a, direction);
  const families = familiesOf(spec, st.ipv6);
  const found = families.map((v6) => st.rules.find((t) => tupleMatches(t, spec, v6)));
  if (a.delete) {
    // ufw deletes only a rule with the same action, as Ansible does.
    if (found.some((t) => t?.action === spec.rule)) {
      actions.push(ufw(`delete ${ruleWords(spec)}`));
      why.push(`rule ${ruleWords(spec)} deleted`);
    }
    return;
  }
  const missing = found.some((t) => t === undefined);
  const differs = found.some((t) => t !== undefined && (t.action !== spec.rule || (a.comment !== undefined && t.comment !== a.comment)));
  if (!missing && !differs) return;
  const comment = a.comment !== undefined ? ` comment ${quote(a.comment)}` : '';
  // ufw skips an insert of an existing rule, so an update (action or comment) is never inserted;
  // and it refuses a position beyond the current rules ("Invalid position"), so those append.
  const insert = !differs && a.insert !== undefined && a.insert <= st.rules.length ? `insert ${a.insert} ` : '';
  actions.push(ufw(`${insert}${ruleWords(spec)}${comment}`));
  why.push(missing ? `rule ${ruleWords(spec)} added` : `rule ${ruleWords(spec)} updated`);
}

function planPrune(a: Args, st: UfwState, actions: ExecAction[], why: string[]): void {
  if (a.prune_managed === undefined) return;
  const { prefix } = a.prune_managed;
  const keep = a.prune_managed.keep.map((k) => toSpec(k, 'in'));
  const seen = new Set<string>();
  for (const t of st.rules) {
    if (!t.comment.startsWith(prefix)) continue;
    const spec = tupleToSpec(t);
    if (spec === undefined) continue;
    if (keep.some((k) => k.rule === spec.rule && tupleMatches(t, k, t.v6))) continue;
    // One delete removes the IPv4 and IPv6 halves of an any/any rule together.
    const words = `delete ${ruleWords(spec)}`;
    if (seen.has(words)) continue;
    seen.add(words);
    actions.push(ufw(words));
    why.push(`managed rule no longer wanted: ${ruleWords(spec)} (${t.comment})`);
  }
}

function planState(a: Args, st: UfwState, actions: ExecAction[], why: string[]): void {
  if (a.state === 'enabled' && !(st.installed && st.enabled)) {
    actions.push(ufw('--force enable'));
    why.push('enabled');
  } else if (a.state === 'disabled' && st.enabled) {
    actions.push(ufw('disable'));
    why.push('disabled');
  } else if (a.state === 'reloaded') {
    // As Ansible: a reload is always a change.
    actions.push(ufw('reload'));
    why.push('reloaded');
  }
}

export default defineModule({
  name: 'ufw',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['community.general.ufw'],
  args,
  async plan(a, ctx): Promise<Plan> {
    const st = await ctx.facts.get(ufwState());
    const actions: ExecAction[] = [];
    const why: string[] = [];
    planPolicy(a, st, actions, why);
    planRule(a, st, actions, why);
    planPrune(a, st, actions, why);
    planState(a, st, actions, why);
    return {
      actions,
      reason: why.length > 0 ? why.join('; ') : st.installed ? 'ufw as asked' : 'ufw is not installed',
      result: { enabled: st.enabled, policies: st.policies, rules_count: st.rules.length },
    };
  },
});
