// mysql_db (community.mysql's name): a database present with its encoding/collation, or absent.

import { z } from 'zod';
import { mysqlDatabase } from '../facts/mysql.js';
import { argSpec } from './arg-spec.js';
import { sqlAction, sqlIdent } from './mysql-client.js';
import { defineModule, type Plan } from './types.js';
import { unavailablePlan } from './mysql-unavailable.js';

const args = argSpec({
  name: z.string().min(1).max(64),
  state: z.enum(['present', 'absent']).default('present'),
  encoding: z.string().regex(/^\w+$/).optional(),
  collation: z.string().regex(/^\w+$/).optional(),
});

function charsetClause(a: { encoding?: string | undefined; collation?: string | undefined }): string {
  return [a.encoding ? ` CHARACTER SET ${a.encoding}` : '', a.collation ? ` COLLATE ${a.collation}` : ''].join('');
}

export default defineModule({
  name: 'mysql_db',
  aliases: ['community.mysql.mysql_db'],
  args,
  // Accounts and databases change only by what runs on the host (the epoch) or by replication, which
  // one-by-one planning races alike: planned ahead, the probe is read a few round trips earlier.
  prefetchable: true,
  async plan(a, ctx): Promise<Plan> {
    const db = await ctx.facts.get(mysqlDatabase(a.name));
    const name = sqlIdent(a.name);
    if (!db.available) {
      const sql = a.state === 'present' ? `CREATE DATABASE ${name}${charsetClause(a)}` : `DROP DATABASE IF EXISTS ${name}`;
      return unavailablePlan(ctx, db.reason, [sqlAction([sql], `${a.state === 'present' ? 'create' : 'drop'} database ${a.name}`)]);
    }
    if (a.state === 'absent') {
      return db.exists
        ? { actions: [sqlAction([`DROP DATABASE ${name}`], `drop database ${a.name}`)], reason: 'database exists' }
        : { actions: [], reason: 'database absent' };
    }
    if (!db.exists) {
      return { actions: [sqlAction([`CREATE DATABASE ${name}${charsetClause(a)}`], `create database ${a.name}`)], reason: 'database missing', result: { db: a.name } };
    }
    const differs = (a.encoding !== undefined && a.encoding !== db.encoding) || (a.collation !== undefined && a.collation !== db.collation);
    const result = { db: a.name, encoding: db.encoding, collation: db.collation };
    if (!differs) return { actions: [], reason: 'database as asked', result };
    return {
      actions: [sqlAction([`ALTER DATABASE ${name}${charsetClause(a)}`], `alter database ${a.name}`)],
      reason: `database has ${db.encoding}/${db.collation}`,
      result,
      ...(ctx.diff ? { diff: [{ before: `${db.encoding} ${db.collation}\n`, after: `${a.encoding ?? db.encoding} ${a.collation ?? db.collation}\n` }] } : {}),
    };
  },
});
