// apt: install, remove or upgrade Debian packages, all of them in ONE apt-get transaction, after an
// `apt-get update` only when the cache is older than cache_valid_time. Every fact the plan needs
// (dpkg status, candidates for latest, cache age, autoremove simulation) comes in one round trip.

import { z } from 'zod';
import { quoteAll } from '../core/shell.js';
import { aptCacheAge, autoremovable, packageCandidates, packageStates, type PackagePolicy, type PackageStates } from '../facts/packages.js';
import type { Probe } from '../facts/types.js';
import { argSpec } from './arg-spec.js';
import { bool, int, stringList } from './args.js';
import { defineModule, type ExecAction } from './types.js';

const args = argSpec(
  {
    name: stringList().optional(),
    state: z.enum(['present', 'absent', 'latest', 'installed', 'removed']).default('present'),
    update_cache: bool().default(false),
    cache_valid_time: int(z.number().int().nonnegative()).default(0),
    install_recommends: bool().optional(),
    purge: bool().default(false),
    autoremove: bool().default(false),
  },
  { aliases: { name: ['pkg'] }, requiredOneOf: [['name', 'update_cache', 'autoremove']] },
).transform((a) => ({
  ...a,
  name: a.name ?? [],
  // As in Ansible 2.4+, giving cache_valid_time implies update_cache.
  update_cache: a.update_cache || a.cache_valid_time > 0,
  // Ansible's old spellings.
  state: a.state === 'installed' ? ('present' as const) : a.state === 'removed' ? ('absent' as const) : a.state,
}));

const ENV = 'DEBIAN_FRONTEND=noninteractive';
/** Keep the admin's changed config files and take new defaults for the others, never prompt. */
// Wait for another apt/dpkg (unattended-upgrades, a second run) instead of failing on its lock.
const LOCK_WAIT = '-o DPkg::Lock::Timeout=300';
const DPKG_OPTIONS = `${LOCK_WAIT} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold`;

/** `nginx=1.22*` → name nginx, version pattern 1.22*. */
export function splitPin(spec: string): { name: string; version?: string } {
  const eq = spec.indexOf('=');
  return eq < 0 ? { name: spec } : { name: spec.slice(0, eq), version: spec.slice(eq + 1) };
}

function versionMatches(installed: string | undefined, pin: string): boolean {
  if (installed === undefined) return false;
  return pin.endsWith('*') ? installed.startsWith(pin.slice(0, -1)) : installed === pin;
}

export default defineModule({
  name: 'apt',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.apt'],
  args,
  async plan(a, ctx) {
    const specs = a.name.map(splitPin);
    const names = specs.map((s) => s.name);
    const latest = a.state === 'latest';
    const needCacheAge = a.update_cache && a.cache_valid_time > 0;
    const probes: Probe<unknown>[] = [];
    if (names.length > 0) probes.push(packageStates(names));
    if (latest && names.length > 0) probes.push(packageCandidates(names));
    if (needCacheAge) probes.push(aptCacheAge());
    if (a.autoremove) probes.push(autoremovable());
    const facts = probes.length > 0 ? await ctx.facts.getAll(probes) : [];
    let i = 0;
    const states = (names.length > 0 ? facts[i++] : {}) as PackageStates;
    const policies = (latest && names.length > 0 ? facts[i++] : {}) as Record<string, PackagePolicy>;
    const cacheAge = needCacheAge ? (facts[i++] as number | undefined) : undefined;
    const autoremove = a.autoremove ? (facts[i++] as string[]) : [];

    const actions: ExecAction[] = [];
    const reasons: string[] = [];
    const updateCache = a.update_cache && (!needCacheAge || cacheAge === undefined || cacheAge > a.cache_valid_time);
    if (updateCache) {
      // The stamp is what cache_valid_time reads next time (apt itself only touches it from its periodic job).
      actions.push({
        kind: 'exec',
        command: `apt-get ${LOCK_WAIT} update -q && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp`,
        describe: 'apt-get update',
      });
      reasons.push(cacheAge === undefined ? 'cache update asked' : `cache is ${cacheAge}s old`);
    }

    if (a.state === 'absent') {
      const remove = names.filter((n) => states[n]?.installed || (a.purge && states[n]?.status === 'config-files'));
      if (remove.length > 0) {
        actions.push({
          kind: 'exec',
          command: `${ENV} apt-get -y -q ${DPKG_OPTIONS} ${a.purge ? 'purge' : 'remove'} -- ${quoteAll(remove)}`,
          describe: `apt-get ${a.purge ? 'purge' : 'remove'} ${remove.join(' ')}`,
        });
        reasons.push(`remove ${remove.join(' ')}`);
      }
    } else {
      const install = specs
        .filter((s) => {
          const st = states[s.name];
          if (!st?.installed) return true;
          if (s.version !== undefined) return !versionMatches(st.version, s.version);
          if (!latest) return false;
          // After a cache update the candidates read now may be stale: let apt decide.
          if (updateCache) return true;
          const candidate = policies[s.name]?.candidate;
          return candidate !== undefined && candidate !== st.version;
        })
        .map((s) => (s.version !== undefined ? `${s.name}=${s.version}` : s.name));
      if (install.length > 0) {
        const recommends = a.install_recommends === undefined ? '' : a.install_recommends ? ' --install-recommends' : ' --no-install-recommends';
        // --allow-downgrades: a pin to an older version is a deliberate choice.
        actions.push({
          kind: 'exec',
          command: `${ENV} apt-get -y -q ${DPKG_OPTIONS}${recommends}${names.length > 0 && specs.some((s) => s.version) ? ' --allow-downgrades' : ''} install -- ${quoteAll(install)}`,
          describe: `apt-get install ${install.join(' ')}`,
        });
        reasons.push(`install ${install.join(' ')}`);
      }
    }
    if (a.autoremove && autoremove.length > 0) {
      actions.push({
        kind: 'exec',
        command: `${ENV} apt-get -y -q ${DPKG_OPTIONS} autoremove${a.purge ? ' --purge' : ''}`,
        describe: `apt-get autoremove (${autoremove.join(' ')})`,
      });
      reasons.push(`autoremove ${autoremove.join(' ')}`);
    }
    return { actions, reason: reasons.join('; ') || 'packages already as asked', result: { cache_updated: updateCache } };
  },
});
