// Ansible host patterns (ansible/inventory/manager.py): `a,b` or `a:b` unions, `&x` intersections
// and `!x` exclusions (applied after all unions), names, groups, fnmatch globs, `~regex`,
// subscripts `web[0]`, `web[0:1]`, `web[1:]`, and `@FILE` (one pattern a line, as for --limit).
// A pattern that matches nothing is a warning (as in Ansible); one that cannot be read is an error.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.js';
import { parseAddress } from './address.js';

/** Names Ansible treats as the control node when the inventory does not define them. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** A bad host pattern; callers that know where the pattern was written may rethrow with its location. */
export class HostPatternError extends InputError {
  constructor(
    readonly pattern: string,
    detail: string,
    location?: SourceLocation,
  ) {
    super(`bad host pattern '${pattern}': ${detail}`, location);
  }
}

/** What patterns are evaluated against. */
export interface PatternSpace {
  /** Hosts in inventory order. */
  hostNames: readonly string[];
  groupNames(): Iterable<string>;
  /** Every host of a group and its descendants. */
  groupHosts(group: string): readonly string[];
  /** The host a localhost name stands for when the inventory does not list it (Ansible's implicit localhost). */
  implicitLocalhost(name: string): string | undefined;
}

export interface SelectOptions {
  warn?: (message: string) => void;
  /** Directory `@FILE` is relative to (default: the current directory). */
  cwd?: string;
}

/** Ansible's split_host_pattern: commas always separate; ':' only when the whole is not one address. */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern, true)) parts = [pattern];
  else parts = splitOnColons(pattern);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Split at ':' and whitespace outside `[...]`, as Ansible's regex does for complete brackets. Ansible's
 * regex silently drops an unbalanced bracket (`~[` became `~`, which matches every host); here it stays
 * in its term, so the term is refused as a regular expression (or read as a literal glob character).
 */
function splitOnColons(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      const end = close === -1 ? pattern.length : close + 1;
      current += pattern.slice(i, end);
      i = end - 1;
    } else if (c === ':' || /\s/.test(c)) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function readLimitFile(path: string, pattern: string, cwd: string): string[] {
  const file = resolve(cwd, path);
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new HostPatternError(pattern, `the host list file ${file} ${why}`);
  }
}

/** fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else literal. */
function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
      i = j;
      if (set === '') out += '(?!)';
      else if (set === '!') out += '.';
      else {
        if (set.startsWith('!')) set = '^' + set.slice(1);
        else if (set.startsWith('^') || set.startsWith('[')) set = '\\' + set;
        out += `[${set}]`;
      }
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return out;
}

function compileTerm(term: string, pattern: string): RegExp {
  try {
    // A regex (~) matches from the start like Python's re.match; a glob must match the whole name.
    if (term.startsWith('~')) return new RegExp(`^(?:${term.slice(1)})`);
    return new RegExp(`^(?:${globToRegExpSource(term)})$`, 's');
  } catch (err) {
    // Drop the engine's "Invalid regular expression: /^(?:…)/: " prefix, which shows our wrapper, not the user's text.
    const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new HostPatternError(pattern, `'${term}' is not a valid ${term.startsWith('~') ? 'regular expression' : 'glob'} (${why})`);
  }
}

type Subscript = { start: number; end?: number };

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function splitSubscript(term: string, warn: (m: string) => void): [string, Subscript | undefined] {
  if (term.startsWith('~')) return [term, undefined];
  const m = WITH_SUBSCRIPT.exec(term);
  if (!m) return [term, undefined];
  const [, expr = term, index, start, sep, end] = m;
  if (index !== undefined) return [expr, { start: Number(index) }];
  if (sep === '-') warn(`Use [x:y] inclusive subscripts instead of [x-y] which has been removed: ${term}`);
  return [expr, { start: Number(start), end: end === '' || end === undefined ? -1 : Number(end) }];
}

function applySubscript(hosts: string[], sub: Subscript | undefined, term: string, pattern: string): string[] {
  if (!sub || hosts.length === 0) return hosts;
  // As Ansible: [x:] runs to the last host, and an end of 0 reads as a single index.
  if (sub.end) return hosts.slice(sub.start, (sub.end === -1 ? hosts.length - 1 : sub.end) + 1);
  const host = hosts.at(sub.start);
  if (host === undefined) {
    throw new HostPatternError(pattern, `'${term}' has no host at index ${sub.start} (it matches ${hosts.length})`);
  }
  return [host];
}

function enumerate(space: PatternSpace, expr: string, pattern: string, warn: (m: string) => void): string[] {
  const re = compileTerm(expr, pattern);
  const groups = [...space.groupNames()].filter((g) => re.test(g));
  const results = groups.flatMap((g) => space.groupHosts(g));
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    results.push(...space.hostNames.filter((h) => re.test(h)));
  }
  if (results.length === 0) {
    const implicit = space.implicitLocalhost(expr);
    if (implicit !== undefined) results.push(implicit);
  }
  if (results.length === 0 && groups.length === 0 && expr !== 'all') {
    warn(`Could not match supplied host pattern, ignoring: ${expr}`);
  }
  return results;
}

/** Hosts matching an Ansible host pattern, in inventory order (implicit localhost last). */
export function selectHosts(space: PatternSpace, pattern: string, options: SelectOptions = {}): string[] {
  const warn = options.warn ?? (() => {});
  const cwd = options.cwd ?? process.cwd();
  const terms = splitHostPattern(pattern).flatMap((t) => (t.startsWith('@') ? readLimitFile(t.slice(1), pattern, cwd) : [t]));
  if (terms.length === 0) throw new HostPatternError(pattern, 'it names no hosts or groups');

  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ordered = [
    ...(plain.length ? plain : ['all']),
    ...terms.filter((t) => t.startsWith('&')),
    ...terms.filter((t) => t.startsWith('!')),
  ];
  const known = new Set(space.hostNames);
  let hosts: string[] = [];
  for (const term of ordered) {
    if (known.has(term)) {
      hosts.push(term);
      continue;
    }
    const op = term[0] === '&' || term[0] === '!' ? term[0] : '';
    const body = term.slice(op.length);
    if (body === '') throw new HostPatternError(pattern, `'${op}' must be followed by a host or group`);
    const [expr, sub] = splitSubscript(body, warn);
    const matched = applySubscript(enumerate(space, expr, pattern, warn), sub, body, pattern);
    if (op === '!') {
      const drop = new Set(matched);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (op === '&') {
      const keep = new Set(matched);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      hosts.push(...matched);
    }
  }
  const order = new Map(space.hostNames.map((h, i) => [h, i]));
  const rank = (h: string) => order.get(h) ?? Number.MAX_SAFE_INTEGER;
  return [...new Set(hosts)].sort((a, b) => rank(a) - rank(b));
}
