// Debian package facts: dpkg status and version, apt candidate versions (only needed for
// state=latest), the age of the apt cache, and what `apt-get autoremove` would remove.

import { quote, quoteAll } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import { dpkgQuery, PLAIN_PACKAGE, packageStatesFamily } from './package-states-family.js';
import { probeFailure } from './probe-error.js';
import type { Probe } from './types.js';

export interface PackageState {
  /** dpkg's status word: installed, config-files, not-installed, half-installed, ... */
  status: string;
  installed: boolean;
  /** Installed version (absent when not installed). */
  version?: string;
}

/** Package name → state; a package dpkg has never heard of is `{status:'not-installed', installed:false}`. */
export type PackageStates = Record<string, PackageState>;

export function packageStates(names: readonly string[]): Probe<PackageStates> {
  const sorted = [...new Set(names)].sort();
  return {
    key: `packages.state:${sorted.join(',')}`,
    command: dpkgQuery(sorted),
    parse: (result) => parsePackageStates(result, sorted),
    // Without names dpkg-query lists every package: such a probe runs alone.
    ...(sorted.length > 0 && sorted.every((n) => PLAIN_PACKAGE.test(n)) ? { merge: { family: packageStatesFamily, input: sorted } } : {}),
  };
}

export function parsePackageStates(result: ExecResult, names: readonly string[]): PackageStates {
  const states: PackageStates = {};
  for (const name of names) states[name] = { status: 'not-installed', installed: false };
  for (const line of result.stdout.split('\n')) {
    const [pkg, status, version] = line.split('\t');
    if (!pkg || status === undefined) continue;
    // Multi-arch packages print one line per architecture: installed if any is.
    const previous = states[pkg];
    if (previous?.installed) continue;
    const installed = status === 'installed';
    states[pkg] = installed && version ? { status, installed, version } : { status, installed };
  }
  return states;
}

export interface PackagePolicy {
  installed?: string;
  /** Version apt would install; absent when no source offers the package. */
  candidate?: string;
}

export function packageCandidates(names: readonly string[]): Probe<Record<string, PackagePolicy>> {
  const sorted = [...new Set(names)].sort();
  return {
    key: `packages.candidate:${sorted.join(',')}`,
    command: `LC_ALL=C apt-cache policy -- ${quoteAll(sorted)}`,
    parse: parseAptPolicy,
  };
}

export function parseAptPolicy(result: ExecResult): Record<string, PackagePolicy> {
  if (result.code !== 0) throw probeFailure('apt-cache policy failed', result);
  const policies: Record<string, PackagePolicy> = {};
  let current: PackagePolicy | undefined;
  for (const line of result.stdout.split('\n')) {
    const header = /^(\S+):$/.exec(line);
    if (header?.[1]) {
      current = {};
      policies[header[1]] = current;
      continue;
    }
    const field = /^ {2}(Installed|Candidate): (.+)$/.exec(line);
    if (current && field?.[1] && field[2]) {
      const value = field[2].trim();
      if (value === '(none)') continue;
      if (field[1] === 'Installed') current.installed = value;
      else current.candidate = value;
    }
  }
  return policies;
}

/** Seconds since the apt lists were last updated (Ansible's rule: the update-success stamp, else the lists directory). */
export function aptCacheAge(paths: { lists: string; stamp: string } = APT_PATHS): Probe<number | undefined> {
  const lists = quote(paths.lists);
  const stamp = quote(paths.stamp);
  return {
    key: 'apt.cache-age',
    // A fresh image may have no package lists at all (cleaned to keep it small) while its stamp or
    // the lists directory look recent: without a Packages file the cache counts as never updated.
    // Builtins for the clock and the file names (printf %()T, compgen -G: what `date +%s` and
    // `ls | grep -q _Packages` gave); stat is the one process, exec'd (the probe's shell becomes it):
    // it prints the stamp's mtime then the directory's, or only the directory's when there is no stamp,
    // so the first line after the clock is the one Ansible's rule takes.
    command:
      `printf -v now '%(%s)T' -1; printf '%s\\n' "$now"; compgen -G ${quote(`${paths.lists}/*_Packages*`)} >/dev/null || exit 0; ` +
      `exec stat -c %Y -- ${stamp} ${lists} 2>/dev/null`,
    parse: parseAptCacheAge,
  };
}

const APT_PATHS = { lists: '/var/lib/apt/lists', stamp: '/var/lib/apt/periodic/update-success-stamp' };

/** The clock, then the first mtime stat printed (none: no Packages lists, or neither file). */
export function parseAptCacheAge(result: ExecResult): number | undefined {
  const [nowLine, mtimeLine] = result.stdout.split('\n');
  const [now, mtime] = [nowLine, mtimeLine].map((l) => (l !== undefined && /^\d+$/.test(l) ? Number(l) : undefined));
  if (now === undefined || mtime === undefined) return undefined;
  return Math.max(0, now - mtime);
}

/** Packages `apt-get autoremove` would remove (a simulation: read-only, no root needed). */
export function autoremovable(): Probe<string[]> {
  return {
    key: 'apt.autoremovable',
    command: 'LC_ALL=C apt-get -s autoremove 2>/dev/null | grep "^Remv " || true',
    parse: (result) =>
      result.stdout
        .split('\n')
        .map((l) => /^Remv (\S+)/.exec(l)?.[1])
        .filter((n): n is string => n !== undefined),
  };
}
