import { describe, expect, it } from 'vitest';
import { aptCacheAge, autoremovable, packageCandidates, packageStates } from '../../../src/facts/packages.js';
import apt from '../../../src/modules/apt.js';
import { checkCase, type TableCase } from './fact-table.js';

const I = (version: string) => ({ status: 'installed', installed: true, version });
const N = { status: 'not-installed', installed: false };
const ENV = 'DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';
const UPDATE = 'apt-get -o DPkg::Lock::Timeout=300 update -q && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp';

const cases: TableCase[] = [
  { name: 'all installed: no-op in one round', args: { name: ['nginx', 'curl'] }, facts: { [packageStates(['nginx', 'curl']).key]: { nginx: I('1.22.1-9'), curl: I('7.88') } }, expect: { commands: [], rounds: 1 } },
  {
    name: 'missing ones in ONE transaction',
    args: { name: ['nginx', 'curl', 'git'], state: 'present' },
    facts: { [packageStates(['nginx', 'curl', 'git']).key]: { nginx: N, curl: I('7.88'), git: N } },
    expect: { commands: [`${ENV} install -- nginx git`] },
  },
  { name: 'comma-separated string and installed alias', args: { name: 'a,b', state: 'installed' }, facts: { [packageStates(['a', 'b']).key]: { a: N, b: N } }, expect: { commands: [`${ENV} install -- a b`] } },
  { name: 'no recommends', args: { name: 'nginx', install_recommends: 'no' }, facts: { [packageStates(['nginx']).key]: { nginx: N } }, expect: { commands: [`${ENV} --no-install-recommends install -- nginx`] } },
  { name: 'version pin already right', args: { name: 'nginx=1.22.1-9' }, facts: { [packageStates(['nginx']).key]: { nginx: I('1.22.1-9') } }, expect: { commands: [] } },
  { name: 'version pin with wildcard differs', args: { name: 'nginx=1.24*' }, facts: { [packageStates(['nginx']).key]: { nginx: I('1.22.1-9') } }, expect: { commands: [`${ENV} --allow-downgrades install -- 'nginx=1.24*'`] } },
  {
    name: 'latest, candidate is installed: no-op in one round',
    args: { name: 'bash', state: 'latest' },
    facts: { [packageStates(['bash']).key]: { bash: I('5.2') }, [packageCandidates(['bash']).key]: { bash: { installed: '5.2', candidate: '5.2' } } },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'latest, newer candidate',
    args: { name: 'bash', state: 'latest' },
    facts: { [packageStates(['bash']).key]: { bash: I('5.2') }, [packageCandidates(['bash']).key]: { bash: { installed: '5.2', candidate: '5.3' } } },
    expect: { commands: [`${ENV} install -- bash`] },
  },
  {
    name: 'cache fresh enough: no update, one round',
    args: { name: 'nginx', update_cache: true, cache_valid_time: 3600 },
    facts: { [packageStates(['nginx']).key]: { nginx: I('1') }, [aptCacheAge().key]: 100 },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'cache too old: update then install',
    args: { name: 'nginx', update_cache: 'yes', cache_valid_time: '3600' },
    facts: { [packageStates(['nginx']).key]: { nginx: N }, [aptCacheAge().key]: 7200 },
    expect: { commands: [UPDATE, `${ENV} install -- nginx`] },
  },
  { name: 'cache_valid_time implies update_cache', args: { name: 'nginx', cache_valid_time: 60 }, facts: { [packageStates(['nginx']).key]: { nginx: I('1') }, [aptCacheAge().key]: undefined }, expect: { commands: [UPDATE] } },
  { name: 'update_cache only, no packages', args: { update_cache: true }, expect: { commands: [UPDATE], rounds: 0 } },
  {
    name: 'latest after a cache update lets apt decide',
    args: { name: 'bash', state: 'latest', update_cache: true },
    facts: { [packageStates(['bash']).key]: { bash: I('5.2') }, [packageCandidates(['bash']).key]: { bash: { candidate: '5.2' } } },
    expect: { commands: [UPDATE, `${ENV} install -- bash`] },
  },
  { name: 'absent', args: { name: ['telnet', 'ftp'], state: 'absent' }, facts: { [packageStates(['telnet', 'ftp']).key]: { telnet: I('1'), ftp: N } }, expect: { commands: [`${ENV} remove -- telnet`] } },
  { name: 'absent already: one round', args: { name: 'telnet', state: 'absent' }, facts: { [packageStates(['telnet']).key]: { telnet: N } }, expect: { commands: [], rounds: 1 } },
  {
    name: 'purge also removes leftover config',
    args: { name: 'telnet', state: 'absent', purge: true },
    facts: { [packageStates(['telnet']).key]: { telnet: { status: 'config-files', installed: false } } },
    expect: { commands: [`${ENV} purge -- telnet`] },
  },
  {
    name: 'autoremove only when something would go',
    args: { name: 'telnet', state: 'absent', autoremove: true },
    facts: { [packageStates(['telnet']).key]: { telnet: N }, [autoremovable().key]: [] },
    expect: { commands: [], rounds: 1 },
  },
  {
    name: 'autoremove',
    args: { autoremove: true },
    facts: { [autoremovable().key]: ['libold1'] },
    expect: { commands: [`${ENV} autoremove`] },
  },
  { name: 'check mode plans the same', args: { name: 'nginx' }, check: true, facts: { [packageStates(['nginx']).key]: { nginx: N } }, expect: { commands: [`${ENV} install -- nginx`] } },
];

describe('apt', () => {
  it.each(cases)('$name', (c) => checkCase(apt, c, expect));
  it.each([[{}], [{ name: 'a', pkg: 'b' }], [{ name: 'a', state: 'fixed' }], [{ name: 'a', cache_valid_time: -1 }], [{ name: 'a', update_cache: 'maybe' }]])('rejects %o', (a) =>
    expect(apt.args.safeParse(a).success).toBe(false),
  );
});
