// MariaDB/MySQL facts: one `mysql` client run per probe, or one for the probes of a batch
// (mysql-family.ts), as root through the unix socket; its queries on
// stdin as a quoted here-document, each result set after a `#name` marker row. A server that is not
// installed or not running is a fact too (`available: false`), so check mode on a fresh host can
// predict instead of failing.

import { createHash } from 'node:crypto';
import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import { mysqlFamily, mysqlQueryCommand, type Query } from './mysql-family.js';
import type { Probe } from './types.js';

export { mysqlQueryCommand, type Query };

export interface MysqlUnavailable {
  available: false;
  reason: string;
}

/** Result sets by marker name; each row is its tab-separated, unescaped columns. */
export type Sections = Record<string, string[][]>;

/** Batch mode escapes \\, tab, newline and NUL in values; NULL prints as NULL (kept as the string). */
export function unescapeBatch(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0', '\\': '\\' })[c] ?? c);
}

export function parseSections(result: ExecResult): Sections | MysqlUnavailable {
  const lines = result.stdout.split('\n');
  const sections: Sections = {};
  let current: string[][] | undefined;
  for (const line of lines) {
    const marker = /^#([\w-]+)$/.exec(line);
    if (marker?.[1]) {
      current = sections[marker[1]] = [];
    } else if (current && line !== '') {
      current.push(line.split('\t').map(unescapeBatch));
    }
  }
  if (Object.keys(sections).length === 0) {
    const reason = result.stderr.trim() || result.stdout.trim() || `mysql exited with ${result.code}`;
    return { available: false, reason };
  }
  return sections;
}

function isUnavailable(s: Sections | MysqlUnavailable): s is MysqlUnavailable {
  return (s as MysqlUnavailable).available === false;
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function probe<T>(key: string, queries: Query[], build: (s: Sections) => T): Probe<T | MysqlUnavailable> {
  return {
    key,
    command: mysqlQueryCommand(queries),
    parse: (result) => {
      const s = parseSections(result);
      return isUnavailable(s) ? s : build(s);
    },
    merge: { family: mysqlFamily, input: { queries } },
  };
}

// ---- databases ----

export type DatabaseInfo = { available: true; exists: false } | { available: true; exists: true; encoding: string; collation: string };

export function mysqlDatabase(name: string): Probe<DatabaseInfo | MysqlUnavailable> {
  const sql = `SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${literal(name)};`;
  return probe(`mysql:db:${name}`, [{ name: 'db', sql }], parseDatabase);
}

export function parseDatabase(s: Sections): DatabaseInfo {
  const row = s.db?.[0];
  return row ? { available: true, exists: true, encoding: row[0] ?? '', collation: row[1] ?? '' } : { available: true, exists: false };
}

// ---- accounts ----

export type UserInfo =
  | { available: true; exists: false }
  | {
      available: true;
      exists: true;
      plugin: string;
      /** The stored credential (mysql_native_password: '*' + 40 hex digits). */
      authString: string;
      /** SHOW GRANTS lines with any IDENTIFIED ... clause removed. */
      grants: string[];
    };

export function mysqlUser(user: string, host: string): Probe<UserInfo | MysqlUnavailable> {
  const account = `${literal(user)}@${literal(host)}`;
  return probe(
    `mysql:user:${user}@${host}`,
    [
      { name: 'user', sql: `SELECT plugin, authentication_string FROM mysql.user WHERE User = ${literal(user)} AND Host = ${literal(host)};` },
      { name: 'grants', sql: `SHOW GRANTS FOR ${account};` },
    ],
    parseUser,
  );
}

export function parseUser(s: Sections): UserInfo {
  const row = s.user?.[0];
  if (!row) return { available: true, exists: false };
  return {
    available: true,
    exists: true,
    plugin: row[0] ?? '',
    authString: row[1] ?? '',
    grants: (s.grants ?? []).map((r) => stripIdentified(r.join('\t'))),
  };
}

/** SHOW GRANTS prints the credential (`IDENTIFIED BY PASSWORD '*...'`, `IDENTIFIED VIA ...`): drop it. */
export function stripIdentified(grant: string): string {
  return grant.replace(/ IDENTIFIED (BY PASSWORD|VIA) .*?(?= WITH | REQUIRE |$)/, '');
}

// ---- replication ----

/** SHOW REPLICA STATUS as field → value (MariaDB keeps the Slave_/Master_ names); empty when not a replica. */
export type ReplicaStatus = Record<string, string>;

export interface ReplicationInfo {
  available: true;
  status: ReplicaStatus;
  /** SHOW MASTER STATUS (File, Position, ...); empty when binary logging is off. */
  primary: Record<string, string>;
  gtidBinlogPos: string;
  gtidSlavePos: string;
  gtidCurrentPos: string;
  /** Last GTID per domain and server id in the binlog (what a rejoining server is compared with). */
  gtidBinlogState: string;
  readOnly: boolean;
  logBin: boolean;
  serverId: number;
  /** GTID state at the start of the oldest binlog ('' = the binlogs hold the whole history); undefined without binlogs. */
  binlogStartGtidPos?: string;
  /** sha256 of the replication password the server keeps (master.info), to compare without reading it. */
  primaryPasswordSha256?: string;
}

// @@datadir stays the 7th column (the master.info step below cuts it).
const REPLICATION_VARS = 'SELECT @@gtid_binlog_pos, @@gtid_slave_pos, @@gtid_current_pos, @@read_only, @@log_bin, @@server_id, @@datadir, @@gtid_binlog_state';

export function mysqlReplication(): Probe<ReplicationInfo | MysqlUnavailable> {
  return {
    key: 'mysql:replication',
    // Two client runs in one round trip (each run is a process start, the costly part of this probe):
    // the variables, then every `\G` result with marker rows between them, which the shell turns into
    // the section lines parseSections reads. `\G` needs the column names that the first run skips.
    command: [
      "command -v mysql >/dev/null 2>&1 || { echo 'the mysql client is not installed' >&2; exit 127; }",
      `vars=$(mysql --batch --skip-column-names -e ${quote(`${REPLICATION_VARS}, @@log_bin_index`)}) || exit $?`,
      // The oldest binlog is the first line of the binlog index (what SHOW BINARY LOGS lists first), read
      // by the shell; the index's column is then dropped from the printed variables.
      "idx=${vars##*$'\\t'}; vars=${vars%$'\\t'*}; first=",
      'if [ -r "$idx" ]; then mapfile -t -n 1 fl < "$idx"; first=${fl[0]##*/}; fi',
      `printf '#vars\\n%s\\n#status\\n' "$vars"`,
      `sql="SHOW REPLICA STATUS\\G SELECT '#primary' AS provision_section\\G SHOW MASTER STATUS\\G"`,
      // The GTID state at the start of the oldest binlog: empty when the binlogs hold the whole history.
      `case $first in *[!A-Za-z0-9._-]*|'') ;; *) sql+=" SELECT CONCAT('=', IFNULL(BINLOG_GTID_POS('$first', 4), '')) AS provision_binlogstart\\G" ;; esac`,
      'out=$(mysql --batch -e "$sql")',
      'while IFS= read -r l; do',
      "  if [[ $l =~ ^\\ *provision_section:\\ (#[a-z]+)$ ]]; then printf '%s\\n' \"${BASH_REMATCH[1]}\"",
      "  elif [[ $l =~ ^\\ *provision_binlogstart:\\ (=.*)$ ]]; then printf '#binlogstart\\n%s\\n' \"${BASH_REMATCH[1]}\"",
      "  elif [ -n \"$l\" ]; then printf '%s\\n' \"$l\"; fi",
      'done <<<"$out"',
      // master.info (under @@datadir, root only) keeps the password in clear on its 6th line: only its
      // sha256 leaves the host, so changeprimary can tell a changed password without printing one.
      // The 7th column and the 6th line are taken by the shell (no cut, sed or tr processes).
      `dir=$vars; for i in 1 2 3 4 5 6; do dir=\${dir#*$'\\t'}; done; dir=\${dir%%$'\\t'*}`,
      `if [ -r "$dir/master.info" ]; then mapfile -t -n 6 mi < "$dir/master.info"; h=$(printf '%s' "\${mi[5]}" | sha256sum); printf '#masterinfo\\n%s\\n' "\${h%% *}"; fi`,
    ].join('\n'),
    parse: (result) => {
      const s = parseSections(result);
      return isUnavailable(s) ? s : parseReplication(s);
    },
  };
}

/** `\G` output (`*** 1. row ***` then `Field: value` lines) into a record. */
export function parseVertical(rows: string[][] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows ?? []) {
    const m = /^\s*(\w+): ?(.*)$/.exec(row.join('\t'));
    if (m?.[1]) out[m[1]] = m[2] ?? '';
  }
  return out;
}

export function parseReplication(s: Sections): ReplicationInfo {
  const v = s.vars?.[0] ?? [];
  const info: ReplicationInfo = {
    available: true,
    status: parseVertical(s.status),
    primary: parseVertical(s.primary),
    gtidBinlogPos: v[0] ?? '',
    gtidSlavePos: v[1] ?? '',
    gtidCurrentPos: v[2] ?? '',
    gtidBinlogState: v[7] ?? '',
    readOnly: v[3] === '1',
    logBin: v[4] === '1',
    serverId: Number(v[5] ?? 0),
  };
  const start = s.binlogstart?.[0]?.[0];
  if (start !== undefined) info.binlogStartGtidPos = start.slice(1);
  const sum = s.masterinfo?.[0]?.[0];
  if (sum) info.primaryPasswordSha256 = sum;
  return info;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
