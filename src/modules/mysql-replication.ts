// mysql_replication (community.mysql's name) for MariaDB: read the primary's or the replica's status,
// point a replica at its primary with GTID (MariaDB's CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos:
// CHANGE REPLICATION SOURCE is MySQL-only), start or stop it. Every mode decides from the status read
// in its own task, so a START after a CHANGE in the same run sees the new configuration
// (geerlingguy/ansible-role-mysql #511, #542 decided from a status read before the change).
//
// Failover modes (playbooks/failover.yaml, rejoin.yaml): `fence` makes a server read-only and ends the
// app's connections; `promote` makes a replica the primary (refusing a broken one: SQL thread stopped or
// erroring) after it has applied everything it received, or makes a non-replica writable; `rejoin` turns
// a former primary into a replica of the new one with GTID, refusing when it holds transactions the new
// primary lacks (errant GTIDs). Their plans only read; the waits run in the actions.

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { mysqlReplication, sha256Hex, type ReplicaStatus, type ReplicationInfo } from '../facts/mysql.js';
import { argSpec } from './arg-spec.js';
import { int } from './args.js';
import { sqlAction, sqlString } from './mysql-client.js';
import { unavailablePlan } from './mysql-unavailable.js';
import { defineModule, type Action, type ExecAction, type Plan } from './types.js';

/** GTIDs only (domain-server-seq, comma-separated): they reach SQL and a shell script verbatim. */
const GTID_LIST = /^(\d+-\d+-\d+(,\s*\d+-\d+-\d+)*)?$/;

const args = argSpec(
  {
    mode: z.enum(['getprimary', 'getreplica', 'changeprimary', 'startreplica', 'stopreplica', 'fence', 'promote', 'rejoin']),
    primary_host: z.string().min(1).optional(),
    primary_user: z.string().min(1).optional(),
    primary_password: z.string().optional(),
    primary_port: int(z.number().int().min(1).max(65535)).optional(),
    primary_use_gtid: z.enum(['slave_pos', 'current_pos', 'no']).default('slave_pos'),
    primary_connect_retry: int(z.number().int().min(1)).optional(),
    /** rejoin: @@gtid_binlog_state of the new primary (its whole history, per domain and server id). */
    primary_gtid_binlog_state: z.string().regex(GTID_LIST, 'a GTID list like 0-1-42,0-2-50').optional(),
    /** promote: first wait until this GTID position (the fenced old primary's) is applied. */
    wait_for_gtid: z.string().regex(GTID_LIST, 'a GTID list like 0-1-42').optional(),
    /** promote: seconds each wait may take before the promotion is refused (and undone). */
    wait_timeout: int(z.number().int().min(1).max(3600)).default(30),
    /** fence: accounts whose connections are killed (their open transactions can no longer commit). */
    kill_users: z.array(z.string().min(1)).default([]),
  },
  {
    requiredIf: [
      ['mode', 'changeprimary', ['primary_host', 'primary_user']],
      ['mode', 'rejoin', ['primary_host', 'primary_user', 'primary_gtid_binlog_state']],
    ],
  },
);

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

// ---- failover ----

interface Gtid {
  domain: number;
  server: number;
  seq: number;
}

export function parseGtids(list: string): Gtid[] {
  return list
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)
    .map((g) => {
      const [domain, server, seq] = g.split('-').map(Number);
      return { domain: domain ?? 0, server: server ?? 0, seq: seq ?? 0 };
    });
}

/**
 * GTIDs of `local` (a server's @@gtid_binlog_pos: its last transaction per domain) that `primaryState`
 * (the new primary's @@gtid_binlog_state: last GTID per domain and server id) does not contain. Under
 * gtid_strict_mode a server's transactions reach the binlog in order, so the primary has d-s-n when it
 * has d-s-m with m >= n. Anything else was written on `local` alone: never acknowledged, never replicated.
 */
export function errantGtids(local: string, primaryState: string): string[] {
  const have = parseGtids(primaryState);
  return parseGtids(local)
    .filter((g) => !have.some((h) => h.domain === g.domain && h.server === g.server && h.seq >= g.seq))
    .map((g) => `${g.domain}-${g.server}-${g.seq}`);
}

/** Ends the accounts' connections (KILL needs an id each: one client run lists them, one kills each). */
function killConnectionsAction(users: string[]): ExecAction {
  const list = users.map(sqlString).join(', ');
  return {
    kind: 'exec',
    command: [
      `mysql --batch --skip-column-names -e ${quote(`SELECT ID FROM information_schema.PROCESSLIST WHERE USER IN (${list})`)} |`,
      // A connection may end between the two statements (ERROR 1094): not a failure.
      "while read -r id; do mysql --batch -e \"KILL CONNECTION $id\" 2>/dev/null || true; done",
    ].join(' '),
    describe: `kill the connections of ${users.join(', ')}`,
  };
}

function planFence(a: Args, info: ReplicationInfo): Plan {
  if (info.readOnly) return { actions: [], reason: 'already read-only', result: { Read_Only: true } };
  return {
    actions: [sqlAction(['SET GLOBAL read_only = ON'], 'read_only = ON'), ...(a.kill_users.length > 0 ? [killConnectionsAction(a.kill_users)] : [])],
    reason: 'read_only is OFF',
    result: { Read_Only: false },
  };
}

/** A replica that may be promoted: its SQL thread runs without error (else it would lose or skip data). */
export function promoteRefusal(status: ReplicaStatus): string | undefined {
  if (status.Slave_SQL_Running !== 'Yes') {
    return `refusing to promote: the replica's SQL thread is not running (Slave_SQL_Running=${status.Slave_SQL_Running ?? 'none'}${status.Last_SQL_Errno && status.Last_SQL_Errno !== '0' ? `, error ${status.Last_SQL_Errno}: ${status.Last_SQL_Error ?? ''}` : ''}); repair replication first`;
  }
  if (status.Last_SQL_Errno && status.Last_SQL_Errno !== '0') {
    return `refusing to promote: the replica's SQL thread reports error ${status.Last_SQL_Errno}: ${status.Last_SQL_Error ?? ''}`;
  }
  return undefined;
}

/**
 * The promotion as one script: (optionally) wait for the old primary's last transaction, stop the IO
 * thread, wait until the relay log is applied (Gtid_IO_Pos reached), then STOP SLAVE, RESET SLAVE ALL,
 * read_only=OFF. A wait that times out restarts the IO thread and exits 1: the replica stays a replica.
 */
function promoteAction(a: Args): ExecAction {
  const t = a.wait_timeout;
  const wait = (pos: string, what: string) =>
    [
      `r=$(mysql --batch --skip-column-names -e "SELECT MASTER_GTID_WAIT('${pos}', ${t})")`,
      `if [ "$r" != 0 ]; then mysql --batch -e 'START SLAVE IO_THREAD' 2>/dev/null || true; echo "refusing to promote: the replica is behind: it has not applied ${what} (${pos}) within ${t} s" >&2; exit 1; fi`,
    ].join('\n');
  return {
    kind: 'exec',
    command: [
      'set -e',
      ...(a.wait_for_gtid ? [wait(a.wait_for_gtid, "the old primary's last transaction")] : []),
      "mysql --batch -e 'STOP SLAVE IO_THREAD'",
      "io=$(mysql --batch -e 'SHOW SLAVE STATUS\\G' | sed -n 's/^ *Gtid_IO_Pos: *//p')",
      wait('$io', 'everything it received'),
      "mysql --batch -e 'STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF'",
    ].join('\n'),
    describe: 'apply the relay log, STOP SLAVE, RESET SLAVE ALL, read_only = OFF',
  };
}

function planPromote(a: Args, info: ReplicationInfo): Plan {
  const isReplica = Object.keys(info.status).length > 0;
  if (!isReplica) {
    if (!info.readOnly) return { actions: [], reason: 'already a writable primary', result: { Read_Only: false } };
    return { actions: [sqlAction(['SET GLOBAL read_only = OFF'], 'read_only = OFF')], reason: 'not a replica and read-only', result: { Read_Only: true } };
  }
  const refusal = promoteRefusal(info.status);
  if (refusal) return { actions: [], failed: refusal };
  return {
    actions: [promoteAction(a)],
    reason: `replica of ${info.status.Master_Host ?? '?'} (received ${info.status.Gtid_IO_Pos ?? ''}, applied ${info.gtidSlavePos})`,
    result: { Read_Only: info.readOnly },
  };
}

function planRejoin(a: Args, info: ReplicationInfo): Plan {
  const isReplica = Object.keys(info.status).length > 0;
  if (isReplica) return planChange(a, info);
  if (!info.readOnly) return { actions: [], failed: 'refusing to rejoin a writable server (read_only=OFF): fence it first' };
  const errant = errantGtids(info.gtidBinlogPos, a.primary_gtid_binlog_state ?? '');
  if (errant.length > 0) {
    return {
      actions: [],
      failed: `refusing to rejoin: this server has transactions the new primary lacks (errant GTIDs ${errant.join(',')}; the primary has ${a.primary_gtid_binlog_state}). They were never acknowledged: see roles/mysql/README.md (rejoin) to inspect, then discard them by re-seeding`,
    };
  }
  // Its own binlog is its whole state (log_slave_updates): replicate from just after it.
  const statements = [`SET GLOBAL gtid_slave_pos = ${sqlString(info.gtidBinlogPos)}`, changeMasterSql(a), 'START SLAVE'];
  return {
    actions: [sqlAction(statements, `replicate from ${a.primary_user}@${a.primary_host} after ${info.gtidBinlogPos || 'nothing'}`, a.primary_password !== undefined)],
    reason: `not a replica; its history ${info.gtidBinlogPos || '(empty)'} is contained in the primary's`,
  };
}

function replicaResult(info: ReplicationInfo): Record<string, unknown> {
  const isReplica = Object.keys(info.status).length > 0;
  return {
    ...info.status,
    Is_Replica: isReplica,
    Is_Slave: isReplica,
    Gtid_Slave_Pos: info.gtidSlavePos,
    Gtid_Binlog_Pos: info.gtidBinlogPos,
    Gtid_Binlog_State: info.gtidBinlogState,
    Read_Only: info.readOnly,
  };
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
      const predicted: Record<typeof a.mode, Action> = {
        changeprimary: sqlAction([changeMasterSql(a)], a.mode, a.primary_password !== undefined),
        rejoin: sqlAction([changeMasterSql(a), 'START SLAVE'], a.mode, a.primary_password !== undefined),
        startreplica: sqlAction(['START REPLICA'], a.mode),
        stopreplica: sqlAction(['STOP REPLICA'], a.mode),
        fence: sqlAction(['SET GLOBAL read_only = ON'], a.mode),
        promote: sqlAction(['SET GLOBAL read_only = OFF'], a.mode),
      };
      return unavailablePlan(ctx, info.reason, [predicted[a.mode]]);
    }
    switch (a.mode) {
      case 'getprimary':
        return {
          actions: [],
          result: { ...info.primary, Is_Primary: info.logBin, Is_Master: info.logBin, Gtid_Binlog_Pos: info.gtidBinlogPos, Gtid_Binlog_State: info.gtidBinlogState, Read_Only: info.readOnly, Gtid_Current_Pos: info.gtidCurrentPos, Binlog_Start_Gtid_Pos: info.binlogStartGtidPos ?? '', Server_Id: info.serverId },
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
      case 'fence':
        return planFence(a, info);
      case 'promote':
        return planPromote(a, info);
      case 'rejoin':
        return planRejoin(a, info);
    }
  },
});
