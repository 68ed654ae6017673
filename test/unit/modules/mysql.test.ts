import { describe, expect, it } from 'vitest';
import { mysqlDatabase, mysqlReplication, mysqlUser, sha256Hex, type ReplicationInfo } from '../../../src/facts/mysql.js';
import { modulesByName } from '../../../src/modules/index.js';
import { nativePasswordHash, sqlString } from '../../../src/modules/mysql-client.js';
import mysqlDb from '../../../src/modules/mysql-db.js';
import { parseGrants, parsePrivString, formatPrivs } from '../../../src/modules/mysql-privs.js';
import mysqlReplicationModule, { errantGtids } from '../../../src/modules/mysql-replication.js';
import mysqlUserModule from '../../../src/modules/mysql-user.js';
import { checkCase, runPlan, type TableCase } from './fact-table.js';

const UNAVAILABLE = { available: false, reason: 'the mysql client is not installed' };
const stdinOf = async (module: Parameters<typeof runPlan>[0], c: Parameters<typeof runPlan>[1]) =>
  (await runPlan(module, c)).plan.actions.map((a) => (a.kind === 'exec' ? `${a.command} <<< ${String(a.stdin)}` : a.path));

describe('mysql client helpers', () => {
  it("computes mysql_native_password's hash as PASSWORD() does (captured from the lab)", () => {
    expect(nativePasswordHash('lab-app-2b7d91')).toBe('*8CEB7E9C433F73DB10D9DA81818150F22470F726');
    expect(nativePasswordHash('lab-repl-8c1f4e')).toBe('*0A7BD65DD927463C2DFE9E5550864427E05C3E60');
  });
  it('escapes string literals', () => expect(sqlString("a'b\\c")).toBe("'a\\'b\\\\c'"));
  it('parses and compares privileges in both formats', () => {
    expect(formatPrivs(parsePrivString('foobar.*:ALL/*.*:REPLICATION SLAVE,usage'))).toBe('*.*:REPLICATION SLAVE/foobar.*:ALL');
    expect(formatPrivs(parseGrants(['GRANT USAGE ON *.* TO `u`@`h`', 'GRANT SELECT, INSERT ON `db`.`t` TO `u`@`h` WITH GRANT OPTION']))).toBe('db.t:GRANT,INSERT,SELECT');
    expect(formatPrivs(parseGrants(['GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION']))).toBe('');
    expect(() => parsePrivString('nocolon')).toThrow();
  });
  it('registers the community.mysql names', () => {
    for (const n of ['mysql_db', 'mysql_user', 'mysql_replication', 'community.mysql.mysql_user']) expect(modulesByName.has(n)).toBe(true);
  });
});

const DB = mysqlDatabase('foobar').key;
// Every case that changes something states the SQL sent on the client's stdin, not only that the client runs.
describe('mysql_db', () => {
  it.each<TableCase>([
    { name: 'as asked: one round', args: { name: 'foobar', encoding: 'utf8mb4' }, facts: { [DB]: { available: true, exists: true, encoding: 'utf8mb4', collation: 'utf8mb4_general_ci' } }, expect: { commands: [], rounds: 1 } },
    { name: 'missing', args: { name: 'foobar', encoding: 'utf8mb4', collation: 'utf8mb4_general_ci' }, facts: { [DB]: { available: true, exists: false } }, expect: { commands: ['mysql --batch'], stdin: ['CREATE DATABASE `foobar` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;\n'] } },
    { name: 'collation differs', args: { name: 'foobar', collation: 'utf8mb4_bin' }, facts: { [DB]: { available: true, exists: true, encoding: 'utf8mb4', collation: 'utf8mb4_general_ci' } }, expect: { commands: ['mysql --batch'], stdin: ['ALTER DATABASE `foobar` COLLATE utf8mb4_bin;\n'] } },
    { name: 'absent and gone', args: { name: 'foobar', state: 'absent' }, facts: { [DB]: { available: true, exists: false } }, expect: { commands: [] } },
    { name: 'server not there in check mode: predicted', args: { name: 'foobar' }, check: true, facts: { [DB]: UNAVAILABLE }, expect: { commands: ['mysql --batch'], stdin: ['CREATE DATABASE `foobar`;\n'] } },
    { name: 'server not there in a real run: fails', args: { name: 'foobar' }, facts: { [DB]: UNAVAILABLE }, expect: { failed: /cannot reach MariaDB.*not installed/ } },
  ])('$name', (c) => checkCase(mysqlDb, c, expect));
  it('sends the SQL on stdin with quoted identifiers', async () => {
    expect(await stdinOf(mysqlDb, { name: 'x', args: { name: 'we`ird', encoding: 'utf8mb4' }, facts: { [mysqlDatabase('we`ird').key]: { available: true, exists: false } } }))
      .toEqual(['mysql --batch <<< CREATE DATABASE `we``ird` CHARACTER SET utf8mb4;\n']);
  });
});

const PW = 'lab-app-2b7d91';
const U = mysqlUser('foobar', '192.168.56.12').key;
const app = (over: object = {}) => ({
  [U]: { available: true, exists: true, plugin: 'mysql_native_password', authString: nativePasswordHash(PW), grants: ['GRANT USAGE ON *.* TO `foobar`@`192.168.56.12`', 'GRANT ALL PRIVILEGES ON `foobar`.* TO `foobar`@`192.168.56.12`'], ...over },
});
const userArgs = { name: 'foobar', host: '192.168.56.12', password: PW, priv: 'foobar.*:ALL' };
describe('mysql_user', () => {
  it.each<TableCase>([
    { name: 'same password and privileges: one round, no change', args: userArgs, facts: app(), expect: { commands: [], rounds: 1 } },
    { name: 'password differs', args: userArgs, facts: app({ authString: nativePasswordHash('old') }), expect: { commands: ['mysql --batch'], stdin: ["ALTER USER 'foobar'@'192.168.56.12' IDENTIFIED VIA mysql_native_password USING PASSWORD('lab-app-2b7d91');\n"] } },
    { name: 'another plugin is replaced', args: userArgs, facts: app({ plugin: 'ed25519' }), expect: { commands: ['mysql --batch'], stdin: ["ALTER USER 'foobar'@'192.168.56.12' IDENTIFIED VIA mysql_native_password USING PASSWORD('lab-app-2b7d91');\n"] } },
    { name: 'on_create keeps an existing password', args: { ...userArgs, update_password: 'on_create' }, facts: app({ authString: 'x' }), expect: { commands: [] } },
    { name: 'privileges differ', args: { ...userArgs, priv: 'foobar.*:SELECT' }, facts: app(), expect: { commands: ['mysql --batch'], stdin: ["REVOKE ALL PRIVILEGES ON `foobar`.* FROM 'foobar'@'192.168.56.12';\nGRANT SELECT ON `foobar`.* TO 'foobar'@'192.168.56.12';\n"] } },
    { name: 'no priv given: grants left alone', args: { name: 'foobar', host: '192.168.56.12' }, facts: app({ grants: [] }), expect: { commands: [] } },
    { name: 'missing: create, then grant', args: userArgs, facts: { [U]: { available: true, exists: false } }, expect: { commands: ['mysql --batch', 'mysql --batch'], stdin: ["CREATE USER 'foobar'@'192.168.56.12' IDENTIFIED VIA mysql_native_password USING PASSWORD('lab-app-2b7d91');\n", "GRANT ALL ON `foobar`.* TO 'foobar'@'192.168.56.12';\n"] } },
    { name: 'absent', args: { name: 'foobar', host: '192.168.56.12', state: 'absent' }, facts: app(), expect: { commands: ['mysql --batch'], stdin: ["DROP USER 'foobar'@'192.168.56.12';\n"] } },
    { name: 'fresh host in check mode: predicted', args: userArgs, check: true, facts: { [U]: UNAVAILABLE }, expect: { commands: ['mysql --batch', 'mysql --batch'], stdin: ["CREATE USER 'foobar'@'192.168.56.12' IDENTIFIED VIA mysql_native_password USING PASSWORD('lab-app-2b7d91');\n", "GRANT ALL ON `foobar`.* TO 'foobar'@'192.168.56.12';\n"] } },
  ])('$name', (c) => checkCase(mysqlUserModule, c, expect));
  it('keeps the password out of argv and marks its action sensitive; grants stay visible', async () => {
    const { plan } = await runPlan(mysqlUserModule, { name: 'create', args: userArgs, facts: { [U]: { available: true, exists: false } } });
    const [create, grant] = plan.actions;
    expect(create).toMatchObject({ kind: 'exec', command: 'mysql --batch', sensitive: true });
    expect(String(create?.kind === 'exec' && create.stdin)).toBe(`CREATE USER 'foobar'@'192.168.56.12' IDENTIFIED VIA mysql_native_password USING PASSWORD('${PW}');\n`);
    expect(grant).toMatchObject({ stdin: "GRANT ALL ON `foobar`.* TO 'foobar'@'192.168.56.12';\n" });
    expect(grant).not.toHaveProperty('sensitive');
    for (const a of plan.actions) if (a.kind === 'exec') expect(a.command).not.toContain(PW);
  });
  it('revokes what is no longer asked', async () => {
    expect(await stdinOf(mysqlUserModule, { name: 'r', args: { ...userArgs, priv: '*.*:REPLICATION SLAVE' }, facts: app() })).toEqual([
      "mysql --batch <<< GRANT REPLICATION SLAVE ON *.* TO 'foobar'@'192.168.56.12';\nREVOKE ALL PRIVILEGES ON `foobar`.* FROM 'foobar'@'192.168.56.12';\n",
    ]);
  });
  // SHOW GRANTS of the lab's app account after the role (MariaDB 10.11.19), password hash stripped by the fact.
  const appGrants = ['GRANT SLAVE MONITOR ON *.* TO `foobar`@`192.168.56.12`', 'GRANT ALL PRIVILEGES ON `foobar`.* TO `foobar`@`192.168.56.12`'];
  const monitorArgs = { ...userArgs, priv: '*.*:SLAVE MONITOR/foobar.*:ALL' };
  it('adds a global privilege without touching the database one (ALL is never revoked, even for a moment)', async () => {
    expect(await stdinOf(mysqlUserModule, { name: 'g', args: monitorArgs, facts: app() })).toEqual(["mysql --batch <<< GRANT SLAVE MONITOR ON *.* TO 'foobar'@'192.168.56.12';\n"]);
  });
  it.each<TableCase>([
    { name: 'global SLAVE MONITOR plus ALL on the database, as granted: no change', args: monitorArgs, facts: app({ grants: appGrants }), expect: { commands: [], rounds: 1 } },
    { name: 'REPLICA MONITOR is the same privilege', args: { ...userArgs, priv: 'foobar.*:ALL/*.*:REPLICA MONITOR' }, facts: app({ grants: appGrants }), expect: { commands: [] } },
  ])('$name', (c) => checkCase(mysqlUserModule, c, expect));
  it('revokes only what is no longer asked, the grant option on its own (MariaDB has no REVOKE ..., GRANT OPTION ON)', async () => {
    const grants = ['GRANT RELOAD, SLAVE MONITOR ON *.* TO `w`@`h` WITH GRANT OPTION'];
    const facts = { [mysqlUser('w', 'h').key]: { available: true, exists: true, plugin: 'mysql_native_password', authString: '', grants } };
    expect(await stdinOf(mysqlUserModule, { name: 'r', args: { name: 'w', host: 'h', priv: '*.*:SLAVE MONITOR,READ_ONLY ADMIN' }, facts })).toEqual([
      "mysql --batch <<< REVOKE RELOAD ON *.* FROM 'w'@'h';\nREVOKE GRANT OPTION ON *.* FROM 'w'@'h';\nGRANT READ_ONLY ADMIN ON *.* TO 'w'@'h';\n",
    ]);
  });
});

const R = mysqlReplication().key;
const RPW = 'lab-repl-8c1f4e';
const replica = (status: Record<string, string>, over: Partial<ReplicationInfo> = {}) => ({
  [R]: { available: true, status, primary: {}, gtidBinlogPos: '', gtidSlavePos: '', gtidCurrentPos: '', readOnly: true, logBin: true, serverId: 2, primaryPasswordSha256: sha256Hex(RPW), ...over },
});
const RUNNING = { Master_Host: '192.168.56.11', Master_User: 'repl', Master_Port: '3306', Connect_Retry: '10', Using_Gtid: 'Slave_Pos', Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' };
const change = { mode: 'changeprimary', primary_host: '192.168.56.11', primary_user: 'repl', primary_password: RPW, primary_use_gtid: 'slave_pos', primary_connect_retry: '10' };

describe('mysql_replication', () => {
  it.each<TableCase>([
    { name: 'changeprimary: already replicating as asked, one round', args: change, facts: replica(RUNNING), expect: { commands: [], rounds: 1 } },
    { name: 'changeprimary: fresh replica', args: change, facts: replica({}, { primaryPasswordSha256: undefined }), expect: { commands: ['mysql --batch'], stdin: ["CHANGE MASTER TO MASTER_HOST='192.168.56.11', MASTER_USER='repl', MASTER_PASSWORD='lab-repl-8c1f4e', MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos;\n"] } },
    { name: 'changeprimary: password changed', args: change, facts: replica(RUNNING, { primaryPasswordSha256: sha256Hex('old') }), expect: { commands: ['mysql --batch'], stdin: ["STOP REPLICA;\nCHANGE MASTER TO MASTER_HOST='192.168.56.11', MASTER_USER='repl', MASTER_PASSWORD='lab-repl-8c1f4e', MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos;\nSTART REPLICA;\n"] } },
    { name: 'startreplica: both threads run', args: { mode: 'startreplica' }, facts: replica(RUNNING), expect: { commands: [], rounds: 1 } },
    { name: 'startreplica: configured, stopped', args: { mode: 'startreplica' }, facts: replica({ ...RUNNING, Slave_IO_Running: 'No', Slave_SQL_Running: 'No' }), expect: { commands: ['mysql --batch'], stdin: ['START REPLICA;\n'] } },
    { name: 'startreplica: IO thread still connecting', args: { mode: 'startreplica' }, facts: replica({ ...RUNNING, Slave_IO_Running: 'Connecting' }), expect: { commands: ['mysql --batch'], stdin: ['START REPLICA;\n'] } },
    { name: 'startreplica: nothing configured fails', args: { mode: 'startreplica' }, facts: replica({}), expect: { failed: /no primary configured/ } },
    { name: 'startreplica in check mode on a fresh host: predicted', args: { mode: 'startreplica' }, check: true, facts: { [R]: UNAVAILABLE }, expect: { commands: ['mysql --batch'], stdin: ['START REPLICA;\n'] } },
    { name: 'stopreplica: already stopped', args: { mode: 'stopreplica' }, facts: replica({ ...RUNNING, Slave_IO_Running: 'No', Slave_SQL_Running: 'No' }), expect: { commands: [] } },
    { name: 'getreplica returns the status fields', args: { mode: 'getreplica' }, facts: replica(RUNNING, { gtidSlavePos: '0-1-7' }), expect: { commands: [], result: { Is_Replica: true, Slave_IO_Running: 'Yes', Master_Host: '192.168.56.11', Gtid_Slave_Pos: '0-1-7', Read_Only: true } } },
    { name: 'getprimary', args: { mode: 'getprimary' }, facts: replica({}, { primary: { File: 'mysql-bin.000001', Position: '1665' }, gtidBinlogPos: '0-1-7', binlogStartGtidPos: '' }), expect: { result: { Is_Primary: true, File: 'mysql-bin.000001', Gtid_Binlog_Pos: '0-1-7', Binlog_Start_Gtid_Pos: '' } } },
    { name: 'getreplica in check mode on a fresh host', args: { mode: 'getreplica' }, check: true, facts: { [R]: UNAVAILABLE }, expect: { commands: [], result: { Is_Replica: false } } },
  ])('$name', (c) => checkCase(mysqlReplicationModule, c, expect));

  it("uses MariaDB's CHANGE MASTER with GTID, the password on stdin only", async () => {
    const { plan } = await runPlan(mysqlReplicationModule, { name: 'c', args: change, facts: replica({}) });
    const [a] = plan.actions;
    expect(a).toMatchObject({ command: 'mysql --batch', sensitive: true });
    expect(a?.kind === 'exec' && a.stdin).toBe(`CHANGE MASTER TO MASTER_HOST='192.168.56.11', MASTER_USER='repl', MASTER_PASSWORD='${RPW}', MASTER_CONNECT_RETRY=10, MASTER_USE_GTID=slave_pos;\n`);
    expect(String(a?.kind === 'exec' && a.stdin)).not.toContain('CHANGE REPLICATION SOURCE');
  });
  it('stops a running replica around the change and starts it again', async () => {
    const stdin = await stdinOf(mysqlReplicationModule, { name: 's', args: { ...change, primary_host: '192.168.56.99' }, facts: replica(RUNNING) });
    expect(stdin[0]).toMatch(/^mysql --batch <<< STOP REPLICA;\nCHANGE MASTER TO MASTER_HOST='192\.168\.56\.99'.*;\nSTART REPLICA;\n$/);
  });
  it('rejects changeprimary without a host', () => expect(mysqlReplicationModule.args.safeParse({ mode: 'changeprimary' }).success).toBe(false));
});

const PRIMARY = replica({}, { readOnly: false, gtidBinlogPos: '0-1-20' });
const rejoin = { ...change, mode: 'rejoin', primary_host: '192.168.56.12', primary_gtid_binlog_state: '0-1-20,0-2-31' };
describe('mysql_replication failover modes', () => {
  it.each<TableCase>([
    { name: 'fence: already read-only, one round', args: { mode: 'fence', kill_users: ['foobar'] }, facts: replica({}), expect: { commands: [], rounds: 1 } },
    { name: 'promote: a writable non-replica is the primary already', args: { mode: 'promote' }, facts: PRIMARY, expect: { commands: [] } },
    { name: 'promote: a read-only non-replica (restarted primary) is made writable', args: { mode: 'promote' }, facts: replica({}), expect: { commands: ['mysql --batch'], stdin: ['SET GLOBAL read_only = OFF;\n'] } },
    { name: 'promote: refused when the SQL thread is stopped', args: { mode: 'promote' }, facts: replica({ ...RUNNING, Slave_SQL_Running: 'No' }), expect: { failed: /refusing to promote: the replica's SQL thread is not running \(Slave_SQL_Running=No\)/ } },
    { name: 'promote: refused when the SQL thread reports an error', args: { mode: 'promote' }, facts: replica({ ...RUNNING, Last_SQL_Errno: '1062', Last_SQL_Error: 'Duplicate entry' }), expect: { failed: /error 1062: Duplicate entry/ } },
    { name: 'promote in check mode on a fresh host: predicted', args: { mode: 'promote' }, check: true, facts: { [R]: UNAVAILABLE }, expect: { commands: ['mysql --batch'], stdin: ['SET GLOBAL read_only = OFF;\n'] } },
    { name: 'rejoin: already replicating from the new primary', args: rejoin, facts: replica({ ...RUNNING, Master_Host: '192.168.56.12' }), expect: { commands: [] } },
    { name: 'rejoin: refused on a writable server', args: rejoin, facts: PRIMARY, expect: { failed: /refusing to rejoin a writable server/ } },
    { name: 'rejoin: refused with errant GTIDs', args: rejoin, facts: replica({}, { gtidBinlogPos: '0-1-21' }), expect: { failed: /errant GTIDs 0-1-21/ } },
  ])('$name', (c) => checkCase(mysqlReplicationModule, c, expect));

  it('fence: read_only=ON, then the listed accounts\' connections are killed', async () => {
    const stdin = await stdinOf(mysqlReplicationModule, { name: 'f', args: { mode: 'fence', kill_users: ['foobar'] }, facts: PRIMARY });
    expect(stdin[0]).toBe('mysql --batch <<< SET GLOBAL read_only = ON;\n');
    expect(stdin[1]).toMatch(/information_schema\.PROCESSLIST WHERE USER IN \(.*foobar.*\).*KILL CONNECTION \$id/);
  });
  it('promote: waits for the old primary, stops the IO thread, applies the relay log, then resets and opens', async () => {
    const { plan } = await runPlan(mysqlReplicationModule, { name: 'p', args: { mode: 'promote', wait_for_gtid: '0-1-20', wait_timeout: '7' }, facts: replica(RUNNING) });
    const script = plan.actions[0]?.kind === 'exec' ? plan.actions[0].command : '';
    const order = ["MASTER_GTID_WAIT('0-1-20', 7)", 'STOP SLAVE IO_THREAD', 'Gtid_IO_Pos', "MASTER_GTID_WAIT('$io', 7)", 'STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = OFF'];
    const at = order.map((s) => script.indexOf(s));
    expect(at.every((i) => i >= 0), script).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(script).toContain("START SLAVE IO_THREAD"); // a refused wait lets the replica replicate again
  });
  it('rejoin needs the new primary\'s GTID state', () => expect(mysqlReplicationModule.args.safeParse({ ...change, mode: 'rejoin' }).success).toBe(false));
  it('rejects a wait_for_gtid that is not a GTID list (it reaches a shell script)', () => {
    expect(mysqlReplicationModule.args.safeParse({ mode: 'promote', wait_for_gtid: "0-1-2'; rm -rf /" }).success).toBe(false);
  });
  it('rejoin: continues after its own history, the password on stdin only', async () => {
    const { plan } = await runPlan(mysqlReplicationModule, { name: 'j', args: rejoin, facts: replica({}, { gtidBinlogPos: '0-1-20', gtidSlavePos: '' }) });
    const [a] = plan.actions;
    expect(a).toMatchObject({ command: 'mysql --batch', sensitive: true });
    expect(String(a?.kind === 'exec' && a.stdin)).toMatch(/^SET GLOBAL gtid_slave_pos = '0-1-20';\nCHANGE MASTER TO MASTER_HOST='192\.168\.56\.12'.*MASTER_USE_GTID=slave_pos;\nSTART SLAVE;\n$/);
  });
  it('errant GTIDs: what the new primary lacks, per domain and server id', () => {
    expect(errantGtids('0-1-20', '0-1-20,0-2-31')).toEqual([]);
    expect(errantGtids('0-1-19', '0-1-20')).toEqual([]);
    expect(errantGtids('0-1-21', '0-1-20,0-2-31')).toEqual(['0-1-21']);
    expect(errantGtids('0-1-5,1-1-3', '0-1-9')).toEqual(['1-1-3']);
    expect(errantGtids('', '0-1-9')).toEqual([]);
  });
});
