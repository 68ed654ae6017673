// mysql_replication (community.mysql's name) for MariaDB: read the primary's or the replica's status,
// point a replica at its primary with GTID (MariaDB's CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos:
// CHANGE REPLICATION SOURCE is MySQL-only), start or stop it. Every mode decides from the status read
// in its own task, so a START after a CHANGE in the same run sees the new configuration
// (geerlingguy/ansible-role-mysql #511, #542 decided from a status read before the change).

import { z } from 'zod';
import { mysqlReplication, sha256Hex, type ReplicationInfo } from '../facts/mysql.js';
import { int } from './args.js';
import { sqlAction, sqlString } from './mysql-client.js';
import { unavailablePlan } from './mysql-unavailable.js';
import { defineModule, type Plan } from './types.js';

const args = z
  .object({
    mode: z.enum(['getprimary', 'getreplica', 'changeprimary', 'startreplica', 'stopreplica']),
    primary_host: z.string().min(1).optional(),
    primary_user: z.string().min(1).optional(),
    primary_password: z.string().optional(),
    primary_port: int(z.number().int().min(1).max(65535)).optional(),
    primary_use_gtid: z.enum(['slave_pos', 'current_pos', 'no']).default('slave_pos'),
    primary_connect_retry: int(z.number().int().min(1)).optional(),
  })
  .strict()
  .refine((a) => a.mode !== 'changeprimary' || (a.primary_host !== undefined && a.primary_user !== undefined), {
    message: 'changeprimary needs primary_host and primary_user',
  });

type Args = z.output<typeof args>;

const running = (v: string | undefined) => v === 'Yes';
/** Both threads up: what "replicating" means (Connecting/Preparing are not there yet). */
export function replicaRunning(status: Record<string, string>): boolean {
  return running(status.Slave_IO_Running) && running(status.Slave_SQL_Running);
}
function anyThreadActive(status: Record<string, string>): boolean {
  return ['Slave_IO_Running', 'Slave_SQL_Running'].some((k) => status[k] !== undefined && status[k] !== 'No');
}

/** Why the replica's configuration differs from what is asked ([] = it matches). */
export function primaryDifferences(info: ReplicationInfo, a: Args): string[] {
  const s = info.status;
  const out: string[] = [];
  if (s.Master_Host !== a.primary_host) out.push(`Master_Host is '${s.Master_Host ?? ''}'`);
  if (s.Master_User !== a.primary_user) out.push(`Master_User is '${s.Master_User ?? ''}'`);
  if ((s.Using_Gtid ?? 'No').toLowerCase() !== a.primary_use_gtid) out.push(`Using_Gtid is '${s.Using_Gtid ?? ''}'`);
  if (a.primary_port !== undefined && s.Master_Port !== String(a.primary_port)) out.push(`Master_Port is '${s.Master_Port ?? ''}'`);
  if (a.primary_connect_retry !== undefined && s.Connect_Retry !== String(a.primary_connect_retry)) out.push(`Connect_Retry is '${s.Connect_Retry ?? ''}'`);
  if (a.primary_password !== undefined && info.primaryPasswordSha256 !== sha256Hex(a.primary_password)) out.push('the password differs');
  return out;
}

function changeMasterSql(a: Args): string {
  const opts = [`MASTER_HOST=${sqlString(a.primary_host ?? '')}`, `MASTER_USER=${sqlString(a.primary_user ?? '')}`];
  if (a.primary_password !== undefined) opts.push(`MASTER_PASSWORD=${sqlString(a.primary_password)}`);
  if (a.primary_port !== undefined) opts.push(`MASTER_PORT=${a.primary_port}`);
  if (a.primary_connect_retry !== undefined) opts.push(`MASTER_CONNECT_RETRY=${a.primary_connect_retry}`);
  opts.push(`MASTER_USE_GTID=${a.primary_use_gtid}`);
  return `CHANGE MASTER TO ${opts.join(', ')}`;
}

function planChange(a: Args, info: ReplicationInfo): Plan {
  const diffs = primaryDifferences(info, a);
  if (diffs.length === 0) return { actions: [], reason: `already replicating from ${a.primary_host} as ${a.primary_user}` };
  // MariaDB refuses CHANGE MASTER while a thread runs: stop, change, and start again what was running.
  const wasActive = anyThreadActive(info.status);
  const statements = [...(wasActive ? ['STOP REPLICA'] : []), changeMasterSql(a), ...(wasActive ? ['START REPLICA'] : [])];
  return {
    actions: [sqlAction(statements, `change primary to ${a.primary_user}@${a.primary_host}`, a.primary_password !== undefined)],
    reason: diffs.join(', '),
  };
}

function replicaResult(info: ReplicationInfo): Record<string, unknown> {
  const isReplica = Object.keys(info.status).length > 0;
  return { ...info.status, Is_Replica: isReplica, Is_Slave: isReplica, Gtid_Slave_Pos: info.gtidSlavePos, Gtid_Binlog_Pos: info.gtidBinlogPos, Read_Only: info.readOnly };
}

export default defineModule({
  name: 'mysql_replication',
  aliases: ['community.mysql.mysql_replication'],
  args,
  async plan(a, ctx): Promise<Plan> {
    const info = await ctx.facts.get(mysqlReplication());
    if (!info.available) {
      if (a.mode === 'getprimary' || a.mode === 'getreplica') {
        return ctx.check ? { actions: [], reason: `server not reachable yet: ${info.reason}`, result: { Is_Primary: false, Is_Replica: false } } : unavailablePlan(ctx, info.reason, []);
      }
      const sql = { changeprimary: changeMasterSql(a), startreplica: 'START REPLICA', stopreplica: 'STOP REPLICA' }[a.mode];
      return unavailablePlan(ctx, info.reason, [sqlAction([sql], a.mode, a.mode === 'changeprimary' && a.primary_password !== undefined)]);
    }
    switch (a.mode) {
      case 'getprimary':
        return {
          actions: [],
          result: { ...info.primary, Is_Primary: info.logBin, Is_Master: info.logBin, Gtid_Binlog_Pos: info.gtidBinlogPos, Gtid_Current_Pos: info.gtidCurrentPos, Binlog_Start_Gtid_Pos: info.binlogStartGtidPos ?? '', Server_Id: info.serverId },
        };
      case 'getreplica':
        return { actions: [], result: replicaResult(info) };
      case 'changeprimary':
        return planChange(a, info);
      case 'startreplica':
        if (replicaRunning(info.status)) return { actions: [], reason: 'both replication threads run', result: replicaResult(info) };
        if (!info.status.Master_Host && !ctx.check) return { actions: [], failed: 'no primary configured: run changeprimary first' };
        return { actions: [sqlAction(['START REPLICA'], 'start replica')], reason: `Slave_IO_Running=${info.status.Slave_IO_Running ?? 'none'}, Slave_SQL_Running=${info.status.Slave_SQL_Running ?? 'none'}` };
      case 'stopreplica':
        return anyThreadActive(info.status) ? { actions: [sqlAction(['STOP REPLICA'], 'stop replica')], reason: 'replication threads run' } : { actions: [], reason: 'replication stopped' };
    }
  },
});
