// roles/mysql on web01 (primary) and web02 (replica): converge, idempotence, verify with the real
// clients over ssh, and check mode on the converged hosts. Failover: test/integration/failover.test.ts.

import { afterAll, expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { describeLab, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const role = (...extra: string[]) => provision(['role', 'mysql', '-i', labInventory, '--limit', 'web', '--json', ...extra]);
const APP_PASSWORD = 'lab-app-2b7d91'; // inventory/vagrant.yaml (lab only)
const SCRATCH = 'provision_test_scratch';

/** Runs SQL as the app user against `server` from `client`, the password in a 0600 defaults file fed on stdin. */
function asAppUser(client: string, server: string, sql: string) {
  const script = [
    'f=$(mktemp); trap \'rm -f "$f"\' EXIT; chmod 600 "$f"',
    // `read` takes exactly one line each (head could read ahead into the SQL).
    'IFS= read -r a; IFS= read -r b; printf \'%s\\n%s\\n\' "$a" "$b" > "$f"',
    `mysql --defaults-extra-file="$f" -h ${server} -u foobar --batch --skip-column-names -e "$(cat)"`,
  ].join('\n');
  return sshRun(client, script, { input: `[client]\npassword=${APP_PASSWORD}\n${sql}\n` });
}

describeLab('role mysql (MariaDB primary web01, replica web02)', () => {
  afterAll(() => {
    sshExec('web01', `sudo mysql -e 'DROP DATABASE IF EXISTS ${SCRATCH}'`);
  });

  it('converges, then a second run changes nothing', () => {
    const first = role();
    expect(first.code, first.stderr + first.stdout.slice(-3000)).toBe(0);
    const second = role();
    expect(second.code, second.stderr).toBe(0);
    const counts = recap(second);
    expect(counts.web01?.changed).toBe(0);
    expect(counts.web02?.changed).toBe(0);
  });

  it('web02 replicates from web01 with GTID', () => {
    const status = sshExec('web02', 'sudo mysql -e "SHOW REPLICA STATUS\\G"');
    expect(status).toMatch(/Slave_IO_Running: Yes/);
    expect(status).toMatch(/Slave_SQL_Running: Yes/);
    expect(status).toMatch(/Master_Host: 192\.168\.56\.11/);
    expect(status).toMatch(/Using_Gtid: Slave_Pos/);
  });

  // Up to 60 s: a replica whose link was cut (UFW switched on under it by another test) reconnects within
  // mysql_net_timeout (20 s) + mysql_connect_retry (10 s).
  it('a row written on the primary appears on the replica', async () => {
    const marker = `row-${Date.now()}`;
    sshExec('web01', `sudo mysql -e "CREATE DATABASE IF NOT EXISTS ${SCRATCH}; CREATE TABLE IF NOT EXISTS ${SCRATCH}.t (v VARCHAR(64)); INSERT INTO ${SCRATCH}.t VALUES ('${marker}')"`);
    let seen = '';
    for (let i = 0; i < 120 && !seen.includes(marker); i++) {
      await new Promise((r) => setTimeout(r, 500));
      seen = sshExec('web02', `sudo mysql -N -e "SELECT v FROM ${SCRATCH}.t" 2>/dev/null`);
    }
    expect(seen).toContain(marker);
  });

  it('the app user reaches both servers over the network and the replica refuses its writes', () => {
    const onPrimary = asAppUser('web02', '192.168.56.11', 'SELECT CONCAT(CURRENT_USER(), " ", @@hostname)');
    expect(onPrimary.code, onPrimary.stderr).toBe(0);
    expect(onPrimary.stdout).toMatch(/^foobar@192\.168\.56\.12 web01/);
    const onReplica = asAppUser('web01', '192.168.56.12', 'SELECT @@hostname');
    expect(onReplica.code, onReplica.stderr).toBe(0);
    expect(onReplica.stdout.trim()).toBe('web02');
    const write = asAppUser('web01', '192.168.56.12', 'CREATE TABLE foobar.provision_test_write (i INT)');
    expect(write.code).not.toBe(0);
    expect(write.stderr).toMatch(/ERROR 1290 .*read-only/);
  });

  it('semi-synchronous replication is on: a commit on the primary waits for the replica', () => {
    // The primary switches semi-sync on at the first commit a replica acknowledges.
    sshExec('web01', `sudo mysql -e "CREATE DATABASE IF NOT EXISTS ${SCRATCH}; CREATE TABLE IF NOT EXISTS ${SCRATCH}.t (v VARCHAR(64)); INSERT INTO ${SCRATCH}.t VALUES ('semisync')"`);
    const primary = sshExec('web01', "sudo mysql --batch --skip-column-names -e \"SHOW STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_yes_tx'); SELECT @@rpl_semi_sync_master_wait_point\"");
    expect(primary).toMatch(/^Rpl_semi_sync_master_clients\t1$/m);
    expect(primary).toMatch(/^Rpl_semi_sync_master_status\tON$/m);
    expect(Number(/^Rpl_semi_sync_master_yes_tx\t(\d+)$/m.exec(primary)?.[1])).toBeGreaterThan(0);
    expect(primary).toMatch(/^AFTER_SYNC$/m);
    expect(sshExec('web02', "sudo mysql --batch --skip-column-names -e \"SHOW STATUS LIKE 'Rpl_semi_sync_slave_status'\"")).toMatch(/\tON/);
  });

  it('only the primary is writable: read_only OFF on web01, ON on web02', () => {
    expect(sshExec('web01', "sudo mysql --batch --skip-column-names -e 'SELECT @@read_only'").trim()).toBe('0');
    expect(sshExec('web02', "sudo mysql --batch --skip-column-names -e 'SELECT @@read_only'").trim()).toBe('1');
  });

  it('the app user reads the replication status (to tell a replica from a fenced server)', () => {
    const status = asAppUser('web01', '192.168.56.12', 'SHOW SLAVE STATUS');
    expect(status.code, status.stderr).toBe(0);
    // Slave_IO_Running and Slave_SQL_Running, side by side in the row.
    expect(status.stdout).toMatch(/\t192\.168\.56\.11\t.*\tYes\tYes\t/);
    const onPrimary = asAppUser('web02', '192.168.56.11', 'SHOW SLAVE STATUS');
    expect(onPrimary.code, onPrimary.stderr).toBe(0);
    expect(onPrimary.stdout.trim()).toBe('');
  });

  it('listens on the private address only', () => {
    for (const [host, address] of [['web01', '192.168.56.11'], ['web02', '192.168.56.12']] as const) {
      const lines = sshExec(host, "sudo ss -Hltn 'sport = :3306'").trim().split('\n');
      expect(lines.map((l) => l.split(/\s+/)[3])).toEqual([`${address}:3306`]);
    }
  });

  it('--check on the converged hosts predicts no change', () => {
    const run = role('--check', '--diff');
    expect(run.code, run.stderr).toBe(0);
    for (const counts of Object.values(recap(run))) expect(counts.changed).toBe(0);
    expect(run.stdout).not.toContain(APP_PASSWORD);
    expect(run.stdout).not.toContain('lab-repl-8c1f4e');
    expect(run.stdout).not.toContain('lab-witness-5e03a7');
  });
});
