import { describe, expect, it } from 'vitest';
import {
  mysqlDatabase, mysqlQueryCommand, mysqlReplication, mysqlUser, parseSections, sha256Hex, stripIdentified, unescapeBatch,
} from '../../../src/facts/mysql.js';
import { fixture } from './fixture.js';

// Outputs captured from the lab's guests (Debian 12, MariaDB 10.11.19) after the mysql role converged.
describe('mysql facts', () => {
  it('reads a replica: status fields under MariaDB names, GTID positions, password digest', () => {
    const r = mysqlReplication().parse(fixture('mysql-replication-replica'));
    expect(r).toMatchObject({ available: true, gtidSlavePos: '0-1-15', gtidBinlogState: '0-1-15', readOnly: true, logBin: true, serverId: 2, binlogStartGtidPos: '' });
    if (!r.available) throw new Error('unavailable');
    expect(r.status).toMatchObject({ Master_Host: '192.168.56.11', Master_User: 'repl', Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Using_Gtid: 'Slave_Pos', Last_IO_Error: '' });
    // master.info's 6th line is the lab's replication password (inventory/vagrant.yaml).
    expect(r.primaryPasswordSha256).toBe(sha256Hex('lab-repl-8c1f4e'));
  });
  it('reads a primary: no replica status, master status, binlogs from an empty GTID state', () => {
    const r = mysqlReplication().parse(fixture('mysql-replication-primary'));
    expect(r).toMatchObject({ available: true, status: {}, primary: { File: 'mysql-bin.000001', Position: '3240' }, gtidBinlogPos: '0-1-15', gtidBinlogState: '0-1-15', gtidSlavePos: '', readOnly: false, binlogStartGtidPos: '' });
    expect(r).not.toHaveProperty('primaryPasswordSha256');
  });
  it('a host without the client is unavailable, not an error', () => {
    expect(mysqlReplication().parse(fixture('mysql-replication-not-installed'))).toEqual({ available: false, reason: 'the mysql client is not installed' });
    expect(mysqlDatabase('x').parse({ code: 1, stdout: '', stderr: "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n" }))
      .toMatchObject({ available: false, reason: expect.stringMatching(/ERROR 2002/) });
  });
  it('reads accounts; SHOW GRANTS for a missing one fails alone (--force)', () => {
    const app = mysqlUser('foobar', '192.168.56.12').parse(fixture('mysql-user-app'));
    expect(app).toEqual({
      available: true, exists: true, plugin: 'mysql_native_password', authString: '*8CEB7E9C433F73DB10D9DA81818150F22470F726',
      grants: ['GRANT SLAVE MONITOR ON *.* TO `foobar`@`192.168.56.12`', 'GRANT ALL PRIVILEGES ON `foobar`.* TO `foobar`@`192.168.56.12`'],
    });
    expect(mysqlUser('nobody', '192.168.56.99').parse(fixture('mysql-user-absent'))).toEqual({ available: true, exists: false });
  });
  it('reads databases', () => {
    expect(mysqlDatabase('foobar').parse(fixture('mysql-db-foobar'))).toEqual({ available: true, exists: true, encoding: 'utf8mb4', collation: 'utf8mb4_general_ci' });
    expect(mysqlDatabase('no_such_db').parse(fixture('mysql-db-absent'))).toEqual({ available: true, exists: false });
  });
  it('quotes values in the SQL and keeps it on stdin (a quoted here-document)', () => {
    const cmd = mysqlUser("o'neil", 'h').command;
    expect(cmd).toContain("User = 'o\\'neil'");
    expect(cmd).toMatch(/<<'PROVISION_SQL'\n/);
    expect(mysqlQueryCommand([{ name: 'a', sql: 'SELECT 1;' }])).toMatch(/SELECT '#a';\nSELECT 1;\nPROVISION_SQL$/);
  });
  it('unescapes batch output and strips credentials from grants', () => {
    expect(unescapeBatch('a\\tb\\nc\\\\d')).toBe('a\tb\nc\\d');
    expect(stripIdentified("GRANT USAGE ON *.* TO `u`@`h` IDENTIFIED BY PASSWORD '*AB' WITH GRANT OPTION")).toBe('GRANT USAGE ON *.* TO `u`@`h` WITH GRANT OPTION');
    expect(stripIdentified("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` IDENTIFIED VIA mysql_native_password USING 'invalid' OR unix_socket WITH GRANT OPTION"))
      .toBe('GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION');
    expect(parseSections({ code: 0, stdout: '#a\nx\ty\n#b\n', stderr: '' })).toEqual({ a: [['x', 'y']], b: [] });
  });
});
