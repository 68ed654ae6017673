// Host patterns as Ansible reads them (--limit, a play's hosts:).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostPatternError, splitHostPattern } from '../../../src/core/inventory/index.js';
import { selectHosts, type PatternSpace } from '../../../src/core/inventory/patterns.js';
import { load } from './fixture.js';

const { inv, warnings } = load('basic/hosts.yaml');
const WEB = ['web01', 'web02', 'web03'];
const DB = ['db-a', 'db-b', 'db-c'];

describe('select', () => {
  it.each([
    ['web01', ['web01']],
    ['web', WEB],
    ['dc1', [...WEB, ...DB]],
    ['db', ['web03', ...DB]],
    ['all', inv.hostNames],
    ['*', inv.hostNames],
    ['ungrouped', ['bastion', 'monitor']],
    ['web*', WEB],
    ['db-*', DB],
    ['db*', ['web03', ...DB]],
    ['node?', ['node1', 'node4', 'node7']],
    ['node[!4]', ['node1', 'node7']],
    ['~web0[12]', ['web01', 'web02']],
    ['~node[14]', ['node1', 'node4']],
    ['~(bastion|monitor)$', ['bastion', 'monitor']],
    ['web:db', [...WEB, ...DB]],
    ['web,db', [...WEB, ...DB]],
    ['db, web01', ['web01', 'web03', ...DB]],
    ['web:&db', ['web03']],
    ['dc1:!db', ['web01', 'web02']],
    ['dc1,!db', ['web01', 'web02']],
    ['!db:dc1', ['web01', 'web02']],
    ['!dc1', ['bastion', 'monitor', 'node1', 'node4', 'node7']],
    ['&web', WEB],
    ['web:db:&dc1:!web03', ['web01', 'web02', ...DB]],
    ['web[0]', ['web01']],
    ['web[-1]', ['web03']],
    ['web[1:]', ['web02', 'web03']],
    ['web[0:1]', ['web01', 'web02']],
    ['dc1[4]', ['db-b']],
    // db lists db-a, db-b, db-c, then web03: a subscript follows the group's own order.
    ['web[0]:db[0]', ['web01', 'db-a']],
    ['db[-1]', ['web03']],
  ])('%s', (pattern, expected) => {
    expect(inv.select(pattern)).toEqual(expected);
  });

  it('returns hosts in inventory order whatever the order of the pattern', () => {
    expect(inv.select('node1:db-a:web01:bastion')).toEqual(['bastion', 'web01', 'db-a', 'node1']);
  });

  it('matches nothing without an error, with a warning as Ansible gives', () => {
    warnings.length = 0;
    expect(inv.select('nosuchhost')).toEqual([]);
    expect(inv.select('web:nosuch*')).toEqual(WEB);
    expect(warnings).toEqual([
      'Could not match supplied host pattern, ignoring: nosuchhost',
      'Could not match supplied host pattern, ignoring: nosuch*',
    ]);
  });

  it('reads @FILE as one host or pattern a line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'limit-'));
    const file = join(dir, 'retry');
    writeFileSync(file, 'web02\n\n  db-c  \n');
    expect(inv.select(`@${file}`)).toEqual(['web02', 'db-c']);
    expect(inv.select(`@${file},&db`)).toEqual(['db-c']);
  });

  it('reads a relative @FILE from the current directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'limit-'));
    writeFileSync(join(dir, 'hosts.retry'), 'node4\n');
    const space: PatternSpace = {
      hostNames: ['node1', 'node4'],
      groupNames: () => ['all'],
      groupHosts: () => ['node1', 'node4'],
      implicitLocalhost: () => undefined,
    };
    expect(selectHosts(space, '@hosts.retry', { cwd: dir })).toEqual(['node4']);
  });

  it.each([
    ['', /names no hosts or groups/],
    [' , ', /names no hosts or groups/],
    ['web:&', /'&' must be followed by a host or group/],
    ['web,!', /'!' must be followed by a host or group/],
    ['~(web', /'~\(web' is not a valid regular expression/],
    ['~web[,web01', /'~web\[' is not a valid regular expression/],
    // Without a comma the pattern is split at ':', which must not drop the unbalanced bracket
    // (it did: '~[' became '~', a regular expression matching every host).
    ['~[', /^bad host pattern '~\[': '~\[' is not a valid regular expression \(Unterminated character class\)$/],
    ['web:~db[', /'~db\[' is not a valid regular expression/],
    ['~web0[12', /'~web0\[12' is not a valid regular expression/],
    ['web[7]', /'web\[7\]' has no host at index 7 \(it matches 3\)/],
    ['@/nonexistent/retry', /the host list file \/nonexistent\/retry not found/],
  ])('refuses the bad pattern %j', (pattern, why) => {
    let error: unknown;
    try {
      inv.select(pattern);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HostPatternError);
    expect((error as Error).message).toMatch(why);
    expect((error as HostPatternError).exitCode).toBe(4);
  });
});

describe('splitHostPattern', () => {
  it.each([
    ['a,b[1], c[2:3] , d', ['a', 'b[1]', 'c[2:3]', 'd']],
    ['web:&db:!web01', ['web', '&db', '!web01']],
    ['web[0:1]', ['web[0:1]']],
    ['web[0:1]:db', ['web[0:1]', 'db']],
    ['web db', ['web', 'db']],
    ['~[', ['~[']],
    ['web:~db[0-9:x', ['web', '~db[0-9:x']],
    ['web]:db', ['web]', 'db']],
    ['2001:db8::1', ['2001:db8::1']],
    ['192.0.2.1', ['192.0.2.1']],
  ])('%s', (pattern, expected) => {
    expect(splitHostPattern(pattern)).toEqual(expected);
  });
});
