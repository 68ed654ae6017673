// mysql_user (community.mysql's name, the subset the roles need): an account with a
// mysql_native_password password and privileges in Ansible's `db.table:PRIV,PRIV/db2.*:PRIV` format.
// The password is compared locally with the stored hash (never sent to compare) and, when it must be
// set, goes to the client on stdin in a sensitive action.

import { z } from 'zod';
import { mysqlUser } from '../facts/mysql.js';
import { argSpec } from './arg-spec.js';
import { accountName, nativePasswordHash, sqlAction, sqlString } from './mysql-client.js';
import { changedObjects, formatPrivs, objectSql, parseGrants, parsePrivString, type PrivMap } from './mysql-privs.js';
import { unavailablePlan } from './mysql-unavailable.js';
import { defineModule, type Action } from './types.js';

const args = argSpec({
  name: z.string().min(1).max(80),
  host: z.string().min(1).max(255).default('localhost'),
  password: z.string().min(1).optional(),
  update_password: z.enum(['always', 'on_create']).default('always'),
  priv: z
    .string()
    .refine((p) => {
      try {
        parsePrivString(p);
        return true;
      } catch {
        return false;
      }
    }, 'priv must be db.table:PRIV[,PRIV][/db2.table:PRIV...]')
    .optional(),
  state: z.enum(['present', 'absent']).default('present'),
});

function identifiedBy(password: string): string {
  return ` IDENTIFIED VIA mysql_native_password USING PASSWORD(${sqlString(password)})`;
}

/**
 * For each object whose privileges differ: REVOKE what is no longer asked, then GRANT what is missing, so
 * that privileges kept on both sides never disappear, even for a moment (an app account keeps ALL on its
 * database while SLAVE MONITOR is added). MariaDB has no `REVOKE ALL PRIVILEGES, GRANT OPTION ON obj`
 * (only without ON): the grant option is revoked on its own. `have` is empty for a new account.
 */
function grantStatements(account: string, have: PrivMap, want: PrivMap): string[] {
  const out: string[] = [];
  for (const object of changedObjects(have, want)) {
    const had = have.get(object) ?? new Set<string>();
    const wanted = want.get(object) ?? new Set<string>();
    const on = objectSql(object);
    // Revoking ALL takes every privilege: what is still wanted is granted again below.
    const revokeAll = had.has('ALL') && !wanted.has('ALL');
    const revoke = revokeAll ? ['ALL PRIVILEGES'] : [...had].filter((p) => p !== 'GRANT' && !wanted.has(p)).sort();
    if (revoke.length > 0) out.push(`REVOKE ${revoke.join(', ')} ON ${on} FROM ${account}`);
    if (had.has('GRANT') && !wanted.has('GRANT')) out.push(`REVOKE GRANT OPTION ON ${on} FROM ${account}`);
    const grant = [...wanted].filter((p) => p !== 'GRANT' && (revokeAll || !had.has(p))).sort();
    const grantOption = wanted.has('GRANT') && !had.has('GRANT');
    if (grant.length > 0 || grantOption) out.push(`GRANT ${grant.length > 0 ? grant.join(', ') : 'USAGE'} ON ${on} TO ${account}${grantOption ? ' WITH GRANT OPTION' : ''}`);
  }
  return out;
}

export default defineModule({
  name: 'mysql_user',
  aliases: ['community.mysql.mysql_user'],
  args,
  // Accounts and databases change only by what runs on the host (the epoch) or by replication, which
  // one-by-one planning races alike: planned ahead, the probe is read a few round trips earlier.
  prefetchable: true,
  async plan(a, ctx) {
    const info = await ctx.facts.get(mysqlUser(a.name, a.host));
    const account = accountName(a.name, a.host);
    const label = `${a.name}@${a.host}`;
    const want = a.priv !== undefined ? parsePrivString(a.priv) : undefined;
    const create = (): Action[] => {
      const grants = want ? grantStatements(account, new Map(), want) : [];
      return [
        sqlAction([`CREATE USER ${account}${a.password !== undefined ? identifiedBy(a.password) : ''}`], `create user ${label}`, a.password !== undefined),
        ...(grants.length > 0 && want ? [sqlAction(grants, `grant ${formatPrivs(want)} to ${label}`)] : []),
      ];
    };
    if (!info.available) {
      return unavailablePlan(ctx, info.reason, a.state === 'present' ? create() : [sqlAction([`DROP USER IF EXISTS ${account}`], `drop user ${label}`)]);
    }
    if (a.state === 'absent') {
      return info.exists ? { actions: [sqlAction([`DROP USER ${account}`], `drop user ${label}`)], reason: 'user exists' } : { actions: [], reason: 'user absent' };
    }
    if (!info.exists) return { actions: create(), reason: 'user missing', result: { user: a.name, host: a.host } };

    const actions: Action[] = [];
    const reasons: string[] = [];
    if (a.password !== undefined && a.update_password === 'always') {
      const same = info.plugin === 'mysql_native_password' && info.authString === nativePasswordHash(a.password);
      if (!same) {
        actions.push(sqlAction([`ALTER USER ${account}${identifiedBy(a.password)}`], `set password of ${label}`, true));
        reasons.push('password differs');
      }
    }
    const have = parseGrants(info.grants);
    if (want) {
      const statements = grantStatements(account, have, want);
      if (statements.length > 0) {
        actions.push(sqlAction(statements, `privileges of ${label}: ${formatPrivs(have) || 'none'} -> ${formatPrivs(want) || 'none'}`));
        reasons.push('privileges differ');
      }
    }
    return {
      actions,
      reason: reasons.length > 0 ? reasons.join(', ') : 'user as asked',
      result: { user: a.name, host: a.host, priv: formatPrivs(have) },
      ...(ctx.diff && want && reasons.includes('privileges differ')
        ? { diff: [{ before: `${formatPrivs(have)}\n`, after: `${formatPrivs(want)}\n` }] }
        : {}),
    };
  },
});
