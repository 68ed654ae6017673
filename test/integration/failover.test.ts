// Database failover on the lab (roles/mysql, roles/mysql_witness, playbooks/failover.yaml and rejoin.yaml):
// faults injected on web01/web02's MariaDB, measured with real clients. Each test starts from and ends
// with web01 the writable primary and web02 replicating from it (restorePair), whatever it broke.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { provision, recap, type CliRun } from './helpers/cli.js';
import { describeLab, labInventory, sshExec, sshRun, sshRunAsync } from './helpers/lab.js';

const APP_PASSWORD = 'lab-app-2b7d91'; // inventory/vagrant.yaml (lab only)
const TABLE = 'foobar.provision_failover_test';
const WEB01 = '192.168.56.11';
const WEB02 = '192.168.56.12';
const DROP_IN = '/run/systemd/system/mariadb.service.d/99-provision-test-no-restart.conf';

const run = (playbook: string, ...extra: string[]) => provision(['run', `playbooks/${playbook}`, '-i', labInventory, '--json', ...extra]);
const role = (name: string, limit: string, ...extra: string[]) => provision(['role', name, '-i', labInventory, '--limit', limit, '--json', ...extra]);
const output = (r: CliRun) => r.stdout + r.stderr;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SQL as root on a server's host (stdin: no quoting), tab-separated rows. */
function sql(host: 'web01' | 'web02', query: string): string {
  const r = sshRun(host, 'sudo mysql --batch --skip-column-names', { input: `${query}\n` });
  if (r.code !== 0) throw new Error(`${host}: ${query}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The app user's defaults file (0600, password from stdin, never argv), then its SQL against `server`. */
const APP_LOGIN = [
  'f=$(mktemp); trap \'rm -f "$f"\' EXIT; chmod 600 "$f"',
  'IFS= read -r a; IFS= read -r b; printf \'%s\\n%s\\n\' "$a" "$b" > "$f"',
].join('\n');
function asApp(client: string, server: string, query: string) {
  return sshRun(client, `${APP_LOGIN}\nmysql --defaults-extra-file="$f" -h ${server} -u foobar --batch --skip-column-names -e "$(cat)"`, {
    input: `[client]\npassword=${APP_PASSWORD}\n${query}\n`,
  });
}

interface ServerState {
  up: boolean;
  readOnly: boolean;
  masterHost: string;
  io: string;
  sqlThread: string;
}
function state(host: 'web01' | 'web02'): ServerState {
  const r = sshRun(host, "sudo mysql --batch --skip-column-names -e 'SELECT @@read_only' && sudo mysql -e 'SHOW SLAVE STATUS\\G'");
  if (r.code !== 0) return { up: false, readOnly: true, masterHost: '', io: '', sqlThread: '' };
  const field = (name: string) => new RegExp(`^\\s*${name}: (.*)$`, 'm').exec(r.stdout)?.[1]?.trim() ?? '';
  return { up: true, readOnly: r.stdout.trim().startsWith('1'), masterHost: field('Master_Host'), io: field('Slave_IO_Running'), sqlThread: field('Slave_SQL_Running') };
}
const healthyPair = (a: ServerState, b: ServerState) => a.up && !a.readOnly && a.masterHost === '' && b.readOnly && b.masterHost === WEB01 && b.io === 'Yes' && b.sqlThread === 'Yes';

/** Back to web01 primary, web02 replica, with the project's own playbooks (no hand-made SQL but START SLAVE). */
async function restorePair(): Promise<void> {
  sshExec('web01', `sudo rm -f ${DROP_IN}; sudo systemctl daemon-reload; sudo systemctl start mariadb`);
  sshExec('web02', `sudo rm -f ${DROP_IN}; sudo systemctl daemon-reload; sudo systemctl start mariadb`);
  for (let step = 0; step < 6; step++) {
    const [a, b] = [state('web01'), state('web02')];
    if (healthyPair(a, b)) return;
    if (b.masterHost && (b.io === 'No' || b.sqlThread === 'No')) sql('web02', 'START SLAVE');
    else if (a.masterHost && (a.io === 'No' || a.sqlThread === 'No')) sql('web01', 'START SLAVE');
    else if (!b.readOnly && a.masterHost === WEB02) expect(run('failover.yaml').code).toBe(0);
    else if (!b.readOnly || !a.readOnly) expect(run('rejoin.yaml').code).toBe(0);
    else expect(role('mysql', 'web').code).toBe(0); // none writable: the role finds the primary
    await sleep(2000);
  }
  const [a, b] = [state('web01'), state('web02')];
  expect(healthyPair(a, b), JSON.stringify({ web01: a, web02: b })).toBe(true);
}

/** CHECKSUM TABLE of the app's tables on both servers at one GTID position (retried: the site may be writing). */
async function checksumsMatch(): Promise<{ equal: boolean; primary: string; replica: string }> {
  const tables = 'foobar.messages, foobar.provision_failover_test';
  let last = { equal: false, primary: '', replica: '' };
  for (let i = 0; i < 10; i++) {
    const primaryHost = state('web01').readOnly ? 'web02' : 'web01';
    const replicaHost = primaryHost === 'web01' ? 'web02' : 'web01';
    const [pos, primary] = [sql(primaryHost, 'SELECT @@gtid_binlog_pos'), sql(primaryHost, `CHECKSUM TABLE ${tables}`)];
    sql(replicaHost, `SELECT MASTER_GTID_WAIT('${pos}', 30)`);
    last = { equal: false, primary, replica: sql(replicaHost, `CHECKSUM TABLE ${tables}`) };
    if (last.primary === last.replica) return { ...last, equal: true };
    await sleep(1000);
  }
  return last;
}

function timed<T>(f: () => T): [T, number] {
  const t = Date.now();
  const r = f();
  return [r, (Date.now() - t) / 1000];
}

describeLab('database failover (semi-sync replication, failover.yaml, rejoin.yaml, the witness)', () => {
  beforeAll(async () => {
    await restorePair();
    sql('web01', `CREATE TABLE IF NOT EXISTS ${TABLE} (token VARCHAR(64) PRIMARY KEY, at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))`);
  }, 600_000);
  afterAll(async () => {
    await restorePair();
  }, 600_000);

  it('failover.yaml promotes web02 with every row, rejoin.yaml makes the copies identical, and back again', async () => {
    try {
      const tokens = Array.from({ length: 20 }, (_, i) => `manual-${Date.now()}-${i}`);
      const write = asApp('web02', WEB01, tokens.map((t) => `INSERT INTO ${TABLE} (token) VALUES ('${t}');`).join(' '));
      expect(write.code, write.stderr).toBe(0);

      const [fo, foSeconds] = timed(() => run('failover.yaml'));
      expect(fo.code, output(fo).slice(-3000)).toBe(0);
      const list = tokens.map((t) => `'${t}'`).join(',');
      expect(sql('web02', `SELECT COUNT(*) FROM ${TABLE} WHERE token IN (${list})`)).toBe('20');
      expect(state('web02')).toMatchObject({ readOnly: false, masterHost: '' });
      expect(state('web01')).toMatchObject({ up: true, readOnly: true, masterHost: '' });
      // The old primary refuses the app's writes; the new one takes them.
      expect(asApp('web02', WEB01, `INSERT INTO ${TABLE} (token) VALUES ('fenced-${Date.now()}')`).stderr).toMatch(/ERROR 1290 .*read-only/);
      const after = `after-failover-${Date.now()}`;
      expect(asApp('web01', WEB02, `INSERT INTO ${TABLE} (token) VALUES ('${after}')`).code).toBe(0);

      // The role keeps the new primary (it rejoins web01 as web02's replica, never flips back).
      const converge = role('mysql', 'web');
      expect(converge.code, output(converge).slice(-3000)).toBe(0);
      expect(state('web02').readOnly).toBe(false);
      const [rj, rjSeconds] = timed(() => run('rejoin.yaml'));
      expect(rj.code, output(rj).slice(-3000)).toBe(0);
      expect(rj.stdout).toMatch(/identical at /);
      expect(state('web01')).toMatchObject({ readOnly: true, masterHost: WEB02, io: 'Yes', sqlThread: 'Yes' });
      const idem = role('mysql', 'web');
      expect(idem.code).toBe(0);
      for (const h of ['web01', 'web02']) expect(recap(idem)[h]?.changed, h).toBe(0);
      const sums = await checksumsMatch();
      expect(sums.primary, JSON.stringify(sums)).toBe(sums.replica);
      expect(sql('web01', `SELECT COUNT(*) FROM ${TABLE} WHERE token = '${after}'`)).toBe('1');

      // And back: web01 primary again, web02 its replica, the same data.
      const [back, backSeconds] = timed(() => run('failover.yaml'));
      expect(back.code, output(back).slice(-3000)).toBe(0);
      expect(state('web01').readOnly).toBe(false);
      const rj2 = run('rejoin.yaml');
      expect(rj2.code, output(rj2).slice(-3000)).toBe(0);
      expect(healthyPair(state('web01'), state('web02'))).toBe(true);
      const sums2 = await checksumsMatch();
      expect(sums2.equal, JSON.stringify(sums2)).toBe(true);
      console.log(`manual failover: failover.yaml ${foSeconds.toFixed(1)} s, rejoin.yaml ${rjSeconds.toFixed(1)} s, failover back ${backSeconds.toFixed(1)} s; checksums:\n${sums2.primary}`);
    } finally {
      await restorePair();
    }
  }, 600_000);

  it('failover.yaml --limit web02 promotes while web01 is down, without touching web01 (exit 0)', async () => {
    try {
      // The witness (if the inventory switches it on) must not act first.
      sshExec('mon01', 'sudo touch /etc/mysql-witness/disabled');
      sshExec('web01', 'sudo systemctl stop mariadb');
      const [r, seconds] = timed(() => run('failover.yaml', '--limit', 'web02'));
      expect(r.code, output(r).slice(-3000)).toBe(0);
      expect(Object.keys(recap(r))).toEqual(['web02']);
      expect(state('web02')).toMatchObject({ readOnly: false, masterHost: '' });
      // web01 comes back read-only from its config, not a replica: fenced.
      sshExec('web01', 'sudo systemctl start mariadb');
      expect(state('web01')).toMatchObject({ up: true, readOnly: true, masterHost: '' });
      console.log(`failover.yaml --limit web02 with web01's MariaDB down: ${seconds.toFixed(1)} s, exit ${r.code}`);
    } finally {
      sshExec('mon01', 'sudo rm -f /etc/mysql-witness/disabled');
      await restorePair();
    }
  }, 300_000);

  it('failover.yaml refuses, changing nothing, while the replica SQL thread is stopped', async () => {
    try {
      sql('web02', 'STOP SLAVE SQL_THREAD');
      const before = [state('web01'), state('web02')];
      const r = run('failover.yaml');
      expect(r.code).toBe(2);
      expect(output(r)).toMatch(/refusing to promote: the replica's SQL thread is not running \(Slave_SQL_Running=No\)/);
      expect(recap(r).web02?.changed).toBe(0);
      expect([state('web01'), state('web02')]).toEqual(before);
      expect(state('web02')).toMatchObject({ readOnly: true, masterHost: WEB01, io: 'Yes', sqlThread: 'No' });
      console.log(`refused failover: exit ${r.code}, "${/refusing to promote[^"\n]*/.exec(output(r))?.[0] ?? ''}"`);
    } finally {
      sql('web02', 'START SLAVE SQL_THREAD');
      await restorePair();
    }
  }, 300_000);

  it('failover.yaml fences, waits a bounded time for a replica that is behind, then refuses and unfences', async () => {
    try {
      // web02 has not received web01's last transaction (its IO thread stopped): it stays behind.
      sql('web02', 'STOP SLAVE IO_THREAD');
      sql('web01', `INSERT INTO ${TABLE} (token) VALUES ('behind-${Date.now()}')`);
      const [r, seconds] = timed(() => run('failover.yaml', '-e', 'mysql_failover_wait_timeout=5'));
      expect(r.code).toBe(2);
      expect(output(r)).toMatch(/failover refused, nothing changed: .*refusing to promote: the replica is behind: it has not applied the old primary's last transaction/);
      expect(seconds).toBeLessThan(30);
      // web01 writable again (unfenced), web02 still its replica and read-only.
      expect(state('web01')).toMatchObject({ readOnly: false, masterHost: '' });
      expect(state('web02')).toMatchObject({ readOnly: true, masterHost: WEB01 });
      console.log(`behind replica: refused after ${seconds.toFixed(1)} s (wait_timeout 5 s), web01 unfenced`);
    } finally {
      await restorePair();
    }
  }, 300_000);

  it('role mysql_witness: idempotent, its settings 0600 to its user, the password never printed', () => {
    const first = role('mysql_witness', 'mon01');
    expect(first.code, output(first).slice(-2000)).toBe(0);
    for (const extra of [[], ['--check', '--diff']]) {
      const again = role('mysql_witness', 'mon01', ...extra);
      expect(again.code).toBe(0);
      expect(recap(again).mon01?.changed, extra.join(' ')).toBe(0);
      expect(output(again)).not.toContain('lab-witness-5e03a7');
    }
    expect(output(first)).not.toContain('lab-witness-5e03a7');
    expect(sshExec('mon01', 'sudo stat -c "%a %U" /etc/mysql-witness/witness.conf').trim()).toBe('600 mysql-witness');
    expect(sshExec('mon01', 'systemctl is-active mysql-witness').trim()).toBe('active');
    // Least privilege: it reads and switches replication, and cannot touch the app's data.
    const grants = sql('web01', "SHOW GRANTS FOR 'witness'@'192.168.56.14'");
    expect(grants).toMatch(/GRANT RELOAD, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, SLAVE MONITOR ON \*\.\* TO `witness`@`192\.168\.56\.14`/);
    expect(grants).not.toMatch(/foobar|ALL PRIVILEGES|SUPER/);
  }, 300_000);

  it('switched off (the file), the witness only logs what it would do after kill -9 of the primary', async () => {
    try {
      const w = role('mysql_witness', 'mon01', '-e', 'mysql_witness_auto_failover=true', '-e', 'mysql_witness_hold_down=3');
      expect(w.code).toBe(0);
      sshExec('mon01', 'sudo rm -f /var/lib/mysql-witness/last-failover; sudo touch /etc/mysql-witness/disabled');
      sshExec('web01', `sudo mkdir -p ${DROP_IN.replace(/\/[^/]+$/, '')} && printf '[Service]\\nRestart=no\\n' | sudo tee ${DROP_IN} >/dev/null && sudo systemctl daemon-reload && sudo kill -9 $(systemctl show -p MainPID --value mariadb)`);
      await sleep(10_000);
      expect(state('web02')).toMatchObject({ readOnly: true, masterHost: WEB01 });
      const journal = sshExec('mon01', "sudo journalctl -u mysql-witness --since '-1min' --no-pager -o cat");
      expect(journal).toMatch(/decision: would fail over: promote web02 .*not done: switched off by \/etc\/mysql-witness\/disabled/);
    } finally {
      sshExec('mon01', 'sudo rm -f /etc/mysql-witness/disabled');
      sshExec('web01', `sudo rm -f ${DROP_IN}; sudo systemctl daemon-reload; sudo systemctl start mariadb`);
      await restorePair();
      role('mysql_witness', 'mon01');
    }
  }, 300_000);

  it('the witness promotes web02 after kill -9 of the primary: writes resume within 30 s, no acknowledged write lost', async () => {
    const runId = `w${Date.now()}`;
    try {
      // Automatic mode with the lab's timings, whatever the inventory says; no cool-down left by an earlier run.
      const w = role('mysql_witness', 'mon01', '-e', 'mysql_witness_auto_failover=true', '-e', 'mysql_witness_hold_down=3');
      expect(w.code, output(w).slice(-2000)).toBe(0);
      sshExec('mon01', 'sudo rm -f /var/lib/mysql-witness/last-failover /etc/mysql-witness/disabled; sudo systemctl restart mysql-witness');
      await sleep(2000);

      // The app's contract: write to whichever server is writable (a read-only one answers ERROR 1290).
      const writer = sshRunAsync('web02', [
        APP_LOGIN,
        'end=$(( $(date +%s) + 45 )); i=0',
        'while [ "$(date +%s)" -lt "$end" ]; do',
        `  i=$((i+1)); tok="${runId}-$i"`,
        `  for s in ${WEB01} ${WEB02}; do`,
        `    if mysql --defaults-extra-file="$f" -h $s -u foobar --connect-timeout=1 -e "INSERT INTO ${TABLE} (token) VALUES ('$tok')" 2>/dev/null; then echo "ACK $tok $s $(date +%s.%N)"; break; fi`,
        '  done',
        'done',
      ].join('\n'), { input: `[client]\npassword=${APP_PASSWORD}\n` });
      await sleep(5000);
      // systemd must not restart it: a runtime drop-in (gone at reboot, removed in finally).
      const killedAt = Number(sshExec('web01', `sudo mkdir -p ${DROP_IN.replace(/\/[^/]+$/, '')} && printf '[Service]\\nRestart=no\\n' | sudo tee ${DROP_IN} >/dev/null && sudo systemctl daemon-reload && sudo kill -9 $(systemctl show -p MainPID --value mariadb) && date +%s.%N`).trim());
      expect(killedAt).toBeGreaterThan(0);
      const done = await writer;
      const acks = done.stdout.split('\n').filter((l) => l.startsWith('ACK ')).map((l) => l.split(' ')).map(([, tok, server, at]) => ({ tok: tok ?? '', server: server ?? '', at: Number(at) }));
      const beforeKill = acks.filter((a) => a.at < killedAt);
      const firstOnNew = acks.find((a) => a.at > killedAt && a.server === WEB02);
      expect(beforeKill.length).toBeGreaterThan(10);
      expect(firstOnNew, 'no write succeeded on web02 after the kill').toBeDefined();
      const outage = (firstOnNew?.at ?? 0) - killedAt;
      expect(outage).toBeLessThan(30);

      // Every acknowledged token is on the new primary.
      const present = new Set(sql('web02', `SELECT token FROM ${TABLE} WHERE token LIKE '${runId}-%'`).split('\n'));
      const lost = acks.filter((a) => !present.has(a.tok));
      expect(lost.map((a) => a.tok)).toEqual([]);
      expect(state('web02')).toMatchObject({ readOnly: false, masterHost: '' });
      const journal = sshExec('mon01', "sudo journalctl -u mysql-witness --since '-2min' --no-pager -o cat");
      expect(journal).toMatch(/decision: fail over: promote web02/);

      // The old primary returns read-only (its config) and stays so: the witness does not unfence it.
      sshExec('web01', `sudo rm -f ${DROP_IN}; sudo systemctl daemon-reload; sudo systemctl start mariadb`);
      await sleep(6000);
      expect(state('web01')).toMatchObject({ up: true, readOnly: true, masterHost: '' });
      expect(asApp('web02', WEB01, `INSERT INTO ${TABLE} (token) VALUES ('${runId}-returned')`).stderr).toMatch(/ERROR 1290 .*read-only/);

      // Rejoin: both hold every acknowledged token and the same checksums.
      const rj = run('rejoin.yaml');
      expect(rj.code, output(rj).slice(-3000)).toBe(0);
      const sums = await checksumsMatch();
      expect(sums.equal, JSON.stringify(sums)).toBe(true);
      const onWeb01 = new Set(sql('web01', `SELECT token FROM ${TABLE} WHERE token LIKE '${runId}-%'`).split('\n'));
      expect(acks.filter((a) => !onWeb01.has(a.tok)).length).toBe(0);
      console.log(`witness failover after kill -9: writes back on web02 after ${outage.toFixed(2)} s; ${acks.length} writes acknowledged (${beforeKill.length} before the kill), ${lost.length} lost`);
    } finally {
      sshExec('web01', `sudo rm -f ${DROP_IN}; sudo systemctl daemon-reload; sudo systemctl start mariadb`);
      await restorePair();
      // The witness back to the inventory's settings (and no cool-down left for the next test run).
      sshExec('mon01', 'sudo rm -f /var/lib/mysql-witness/last-failover');
      role('mysql_witness', 'mon01');
    }
  }, 600_000);
});
