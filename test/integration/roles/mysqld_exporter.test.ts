// roles/mysqld_exporter on web01 and web02, Molecule's way: check mode, converge, idempotence, then verify
// with real clients: curl from mon01 (the monitoring host) reads mysql_up and the replica's thread
// states, MariaDB's own SHOW SLAVE STATUS says which server is the replica, a stopped SQL thread shows in
// the metrics, the account has only its grants, its password is in no argv, and a host that is not a
// monitoring host cannot reach the port.

import { beforeAll, expect, it } from 'vitest';
import { provision, recap } from '../helpers/cli.js';
import { eventually, itConverges } from '../helpers/molecule.js';
import { describeLab, labHosts, labInventory, sshExec, sshRun } from '../helpers/lab.js';

const webs = ['web01', 'web02'] as const;
type Web = (typeof webs)[number];
const PORT = 9104; // group_vars/all.yaml mysqld_exporter_port
const PASSWORD = 'lab-exporter-3f9a61'; // inventory/vagrant.yaml mysqld_exporter_password (lab only)
const MY_CNF = '/etc/prometheus/mysqld-exporter.cnf';

const role = (...extra: string[]) =>
  provision(['role', 'mysqld_exporter', '-i', labInventory, '--limit', 'web', '--json', '--no-retry-file', ...extra]);
const ok = (run: { code: number; stderr: string; stdout: string }) => expect(run.code, run.stderr + run.stdout.slice(-3000)).toBe(0);

/** The exporter's page as the monitoring host reads it (curl on mon01, to the server's private address). */
const scrape = (web: Web) => sshExec('mon01', `curl -sS --max-time 10 http://${labHosts[web]}:${PORT}/metrics`);
/** The value of an unlabelled sample, or undefined when the page lacks it. */
function sample(page: string, name: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}
/** Which server replicates, asked of MariaDB itself (root through the socket), not of the exporter. */
const isReplica = (web: Web) => sshExec(web, 'mysql -N -e "SHOW SLAVE STATUS" | wc -l', { sudo: true }).trim() !== '0';
const exporterPid = (web: Web) => sshExec(web, 'systemctl show -p MainPID --value prometheus-mysqld-exporter').trim();

describeLab('role mysqld_exporter on web01 and web02', () => {
  // The account is created by roles/mysql on the primary (and replicates): converge it first, and the
  // firewall of the web hosts, which opens the port to the monitoring hosts.
  beforeAll(() => {
    ok(provision(['role', 'mysql', '-i', labInventory, '--limit', 'web', '--json', '--no-retry-file']));
    ok(provision(['role', 'ufw', '-i', labInventory, '--limit', 'web', '--json', '--no-retry-file']));
  });

  itConverges(role, webs);

  it('listens on the private address only; enabled and running; credentials in a 0600 file, not in argv', () => {
    for (const web of webs) {
      const listeners = sshExec(web, `ss -Hltn 'sport = :${PORT}'`).trim().split('\n').map((l) => l.split(/\s+/)[3]);
      expect(listeners, web).toEqual([`${labHosts[web]}:${PORT}`]);
      expect(sshExec(web, 'systemctl is-enabled prometheus-mysqld-exporter; systemctl is-active prometheus-mysqld-exporter'), web).toBe('enabled\nactive\n');
      expect(sshExec(web, `stat -c '%U %G %a' ${MY_CNF}`, { sudo: true }).trim(), web).toBe('prometheus prometheus 600');
      const pid = exporterPid(web);
      const visible = sshExec(web, `cat /proc/${pid}/cmdline | tr '\\0' ' '; cat /proc/${pid}/environ | tr '\\0' '\\n'; cat /etc/default/prometheus-mysqld-exporter`, { sudo: true });
      expect(visible, web).toContain(`--config.my-cnf=${MY_CNF}`);
      expect(visible, web).not.toContain(PASSWORD);
    }
  });

  it('the account has exactly PROCESS and SLAVE MONITOR, local only, on both servers', () => {
    for (const web of webs) {
      expect(sshExec(web, `mysql -N -e "SELECT CONCAT(user, '@', host) FROM mysql.user WHERE user = 'exporter'"`, { sudo: true }).trim(), web).toBe('exporter@localhost');
      const grants = sshExec(web, `mysql -N -e "SHOW GRANTS FOR 'exporter'@'localhost'"`, { sudo: true });
      expect(grants.trim().split('\n'), web).toEqual([expect.stringMatching(/^GRANT PROCESS, SLAVE MONITOR ON \*\.\* TO `exporter`@`localhost` IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'$/)]);
      // With its own credentials file (as prometheus): it logs in, but may read no table.
      const read = sshRun(web, `sudo -u prometheus mysql --defaults-file=${MY_CNF} -N -e 'SELECT COUNT(*) FROM mysql.user'`);
      expect(read.code, web).not.toBe(0);
      expect(read.stderr, web).toMatch(/ERROR 1142/);
      expect(sshExec(web, `sudo -u prometheus mysql --defaults-file=${MY_CNF} -N -e 'SELECT CURRENT_USER()'`).trim(), web).toBe('exporter@localhost');
    }
  });

  it('mon01 reads mysql_up 1 from both, every collector succeeding, and the replica\'s threads running', async () => {
    const replicas = webs.filter(isReplica);
    expect(replicas.length, 'exactly one server replicates').toBe(1);
    for (const web of webs) {
      // Right after a restart the first scrape may precede the connection pool: retry a few seconds.
      let page = '';
      expect(await eventually(() => sample((page = scrape(web)), 'mysql_up') === 1, 20, 500), `${web}: ${page.slice(0, 500)}`).toBe(true);
      // 1 when any collector failed (a missing privilege): every default collector ran, SHOW SLAVE STATUS included.
      expect(sample(page, 'mysql_exporter_last_scrape_error'), web).toBe(0);
      expect(page, web).toMatch(/^mysql_exporter_collector_duration_seconds\{collector="collect\.slave_status"\} /m);
      expect(page, web).toMatch(/^mysql_exporter_collector_duration_seconds\{collector="collect\.info_schema\.innodb_cmp"\} /m);
      if (replicas.includes(web)) {
        expect(page, web).toMatch(/^mysql_slave_status_slave_io_running\{.*master_host="192\.168\.56\.1[12]".*\} 1$/m);
        expect(page, web).toMatch(/^mysql_slave_status_slave_sql_running\{.*\} 1$/m);
        expect(page, web).toMatch(/^mysql_slave_status_seconds_behind_master\{.*\} \d+$/m);
      } else {
        expect(page, web).not.toMatch(/^mysql_slave_status_/m);
      }
    }
  });

  it('a stopped SQL thread on the replica shows as mysql_slave_status_slave_sql_running 0, then 1 again', async () => {
    const replica = webs.find(isReplica);
    expect(replica).toBeDefined();
    const web = replica as Web;
    const sqlRunning = () => /^mysql_slave_status_slave_sql_running\{.*\} (\d)$/m.exec(scrape(web))?.[1];
    try {
      sshExec(web, 'mysql -e "STOP SLAVE SQL_THREAD"', { sudo: true });
      expect(sshExec(web, 'mysql -e "SHOW SLAVE STATUS\\G"', { sudo: true })).toMatch(/Slave_SQL_Running: No/);
      expect(sqlRunning()).toBe('0');
    } finally {
      sshExec(web, 'mysql -e "START SLAVE SQL_THREAD"', { sudo: true });
    }
    expect(await eventually(() => sqlRunning() === '1', 20, 500)).toBe(true);
  });

  it('a changed flag restarts the exporter through the handler; a bad flag is refused and changes nothing', () => {
    const web: Web = 'web02';
    const before = exporterPid(web);
    const changed = role('--limit', web, '-e', JSON.stringify({ mysqld_exporter_extra_args: ['--collect.info_schema.processlist'] }));
    ok(changed);
    expect(recap(changed)[web]?.changed).toBe(2); // the flags file, then the restart handler
    expect(exporterPid(web)).not.toBe(before);
    const sum = sshExec(web, 'sha256sum /etc/default/prometheus-mysqld-exporter', { sudo: true });
    const pid = exporterPid(web);
    const bad = role('--limit', web, '-e', JSON.stringify({ mysqld_exporter_extra_args: ['--no-such-flag'] }));
    expect(bad.code).toBe(2);
    expect(sshExec(web, 'sha256sum /etc/default/prometheus-mysqld-exporter', { sudo: true })).toBe(sum);
    expect(exporterPid(web)).toBe(pid);
    const restored = role('--limit', web);
    ok(restored);
    expect(recap(restored)[web]?.changed).toBe(2);
  });

  it('a host that is not a monitoring host cannot reach the port (UFW)', () => {
    // lb01 is not in monitoring_hosts: UFW drops its connection (curl: 28 timeout, 7 refused).
    for (const web of webs) {
      const code = sshExec('lb01', `curl -s -o /dev/null -m 3 http://${labHosts[web]}:${PORT}/metrics; echo $?`).trim();
      expect(['7', '28'], web).toContain(code);
    }
    // The same request from mon01 passes (the rule lets exactly the monitoring hosts in).
    expect(sshExec('mon01', `curl -s -o /dev/null -w '%{http_code}' -m 5 http://${labHosts.web01}:${PORT}/metrics`)).toBe('200');
  });
});
