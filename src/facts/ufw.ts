// UFW's state, read from its files in one round trip (no `ufw status`: it needs a working
// iptables and prints a table made for humans): ENABLED from /etc/ufw/ufw.conf, IPV6 and the
// default policies from /etc/default/ufw, and every rule from the `### tuple ###` lines ufw itself
// writes above each rule in /etc/ufw/user.rules (IPv4) and user6.rules (IPv6).

import type { ExecResult } from '../transport/types.js';
import { probeFailure } from './probe-error.js';
import type { Probe } from './types.js';

export type UfwPolicy = 'allow' | 'deny' | 'reject';

/** One rule as ufw records it: `ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION [comment=HEX]`. */
export interface UfwTuple {
  /** allow | deny | reject | limit (a `_log`/`_log-all` suffix goes to `log`). */
  action: string;
  log?: string;
  proto: string;
  dport: string;
  /** `0.0.0.0/0` or `::/0` mean any. */
  dst: string;
  sport: string;
  src: string;
  /** Application profiles ('-' when none); present only on app rules. */
  dapp?: string;
  sapp?: string;
  /** in | out | fwd, without the `_IFACE` suffix. */
  direction: string;
  iface?: string;
  /** Decoded comment ('' when none). */
  comment: string;
  /** From user6.rules. */
  v6: boolean;
}

export interface UfwState {
  /** /etc/ufw/ufw.conf exists. */
  installed: boolean;
  enabled: boolean;
  /** ufw manages IPv6 too: IPV6=yes and the kernel has IPv6 (ufw's own test: /proc/sys/net/ipv6 exists). */
  ipv6: boolean;
  policies: { incoming: UfwPolicy; outgoing: UfwPolicy; routed: UfwPolicy };
  /** IPv4 rules, then IPv6 rules, in file order (the order of `ufw status numbered`). */
  rules: UfwTuple[];
}

const FILES = ['/etc/ufw/ufw.conf', '/etc/default/ufw', '/etc/ufw/user.rules', '/etc/ufw/user6.rules'] as const;

// Each file behind a marker line; a missing file prints `<absent>`. Only tuple and KEY= lines matter.
// Read with bash builtins (what `grep -E '^(### tuple ###|[A-Z_0-9]+=)'` printed, line for line): on a
// busy host the four grep processes were most of the probe's time.
const COMMAND =
  `for f in ${FILES.join(' ')}; do echo "==> $f"; ` +
  `if [ -e "$f" ]; then while IFS= read -r l || [ -n "$l" ]; do ` +
  `[[ $l =~ ^(###\\ tuple\\ ###|[A-Z_0-9]+=) ]] && printf '%s\\n' "$l"; done < "$f"; else echo '<absent>'; fi; done; ` +
  `if [ -d /proc/sys/net/ipv6 ]; then echo '==> ipv6-kernel'; fi`;

export function ufwState(): Probe<UfwState> {
  return { key: 'ufw:state', command: COMMAND, parse: parseUfwState };
}

const POLICY: Record<string, UfwPolicy> = { ACCEPT: 'allow', DROP: 'deny', REJECT: 'reject' };

function policyOf(value: string | undefined, fallback: UfwPolicy): UfwPolicy {
  return POLICY[(value ?? '').replace(/"/g, '').trim().toUpperCase()] ?? fallback;
}

function splitSections(stdout: string): Map<string, string[] | undefined> {
  const sections = new Map<string, string[] | undefined>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const marker = /^==> (.+)$/.exec(line);
    if (marker?.[1]) {
      current = [];
      sections.set(marker[1], current);
    } else if (line === '<absent>' && current?.length === 0) {
      const key = [...sections.keys()].at(-1);
      if (key) sections.set(key, undefined);
      current = undefined;
    } else if (current) current.push(line);
  }
  return sections;
}

function keyValues(lines: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines ?? []) {
    const m = /^([A-Z_0-9]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function parseUfwState(result: ExecResult): UfwState {
  if (!result.stdout.includes('==> /etc/ufw/ufw.conf')) throw probeFailure('cannot read the ufw files', result);
  const sections = splitSections(result.stdout);
  const conf = sections.get('/etc/ufw/ufw.conf');
  const defaults = keyValues(sections.get('/etc/default/ufw'));
  const tuples = (file: string, v6: boolean): UfwTuple[] =>
    (sections.get(file) ?? []).flatMap((line) => {
      const tuple = parseUfwTuple(line, v6);
      return tuple ? [tuple] : [];
    });
  return {
    installed: conf !== undefined,
    enabled: keyValues(conf).ENABLED?.toLowerCase() === 'yes',
    ipv6: (defaults.IPV6 ?? 'yes').toLowerCase() === 'yes' && sections.has('ipv6-kernel'),
    policies: {
      incoming: policyOf(defaults.DEFAULT_INPUT_POLICY, 'deny'),
      outgoing: policyOf(defaults.DEFAULT_OUTPUT_POLICY, 'allow'),
      routed: policyOf(defaults.DEFAULT_FORWARD_POLICY, 'deny'),
    },
    rules: [...tuples('/etc/ufw/user.rules', false), ...tuples('/etc/ufw/user6.rules', true)],
  };
}

/** ufw stores comments hex-encoded (UTF-8 bytes). */
export function decodeUfwComment(hex: string): string {
  return /^([0-9a-f]{2})*$/i.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : hex;
}

export function parseUfwTuple(line: string, v6: boolean): UfwTuple | undefined {
  const m = /^### tuple ###\s+(.*)$/.exec(line.trim());
  if (!m?.[1]) return undefined;
  const words = m[1].split(/\s+/);
  let comment = '';
  if (words.at(-1)?.startsWith('comment=')) comment = decodeUfwComment(words.pop()!.slice('comment='.length));
  if (words.length !== 7 && words.length !== 9) return undefined;
  const [actionWord = '', proto = '', dport = '', dst = '', sport = '', src = ''] = words;
  const [action = '', log] = actionWord.split('_');
  const [direction = '', iface] = (words.at(-1) ?? '').split('_');
  const tuple: UfwTuple = { action, proto, dport, dst, sport, src, direction, comment, v6 };
  if (log) tuple.log = log;
  if (iface) tuple.iface = iface;
  if (words.length === 9) {
    tuple.dapp = words[6];
    tuple.sapp = words[7];
  }
  return tuple;
}
