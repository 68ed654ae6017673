// The replication probe runs the mysql client twice (the variables, then every `\G` result with marker
// rows between them) where it ran it five times, and reads the oldest binlog's name from the binlog
// index. Checked against the five-run probe it replaced (its text is below, as it was): a stand-in
// `mysql` on PATH answers both probes' queries as MariaDB does (web01 and web02's outputs, over a real
// datadir with a master.info and a binlog index), and both outputs must give the same facts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote } from '../../../src/core/shell.js';
import { mysqlReplication } from '../../../src/facts/mysql.js';

const root = mkdtempSync(join(tmpdir(), 'mysql-probe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const REPLICA = '*************************** 1. row ***************************\nSlave_IO_Running: Yes\n  Last_Error: \n';
const PRIMARY = '*************************** 1. row ***************************\n            File: mysql-bin.000002\n        Position: 342\n';

/** A datadir (master.info, binlog index), and a `mysql` that answers both probes' queries. */
function server(masterInfo: string | undefined, binlogs: string[], replica: boolean): string {
  const dir = mkdtempSync(join(root, 'srv-'));
  const datadir = join(dir, 'data');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(datadir);
  if (masterInfo !== undefined) writeFileSync(join(datadir, 'master.info'), masterInfo);
  const index = binlogs.length ? join(datadir, 'mysql-bin.index') : 'NULL';
  if (binlogs.length) writeFileSync(index, binlogs.map((b) => `./${b}\n`).join(''));
  const vars = `0-1-7\t\t0-1-7\t0\t1\t2\t${datadir}/\t0-1-7`;
  const status = replica ? REPLICA : '';
  const primary = binlogs.length ? PRIMARY : '';
  const row = '*************************** 1. row ***************************';
  writeFileSync(
    join(dir, 'bin', 'mysql'),
    `#!/bin/bash
a="$*"
case "$a" in
  *@@log_bin_index*) printf '%s\\t%s\\n' ${quote(vars)} ${quote(index)} ;;
  *@@gtid_binlog_pos*) printf '%s\\n' ${quote(vars)} ;;
  *provision_section*)
    printf '%s' ${quote(status)}
    printf '%s\\nprovision_section: #primary\\n%s' ${quote(row)} ${quote(primary)}
    case "$a" in *"BINLOG_GTID_POS('"*) f=\${a#*BINLOG_GTID_POS(\\'}; printf '%s\\nprovision_binlogstart: =at %s\\n' ${quote(row)} "\${f%%\\'*}" ;; esac ;;
  *'SHOW REPLICA STATUS'*) printf '%s' ${quote(status)} ;;
  *'SHOW MASTER STATUS'*) printf '%s' ${quote(primary)} ;;
  *'SHOW BINARY LOGS'*) [ -n ${quote(binlogs.join(''))} ] || exit 1; printf '%s\\t1\\n' ${binlogs.map(quote).join(' ')} ;;
  *BINLOG_GTID_POS*) f=\${a#*BINLOG_GTID_POS(\\'}; echo "=at \${f%%\\'*}" ;;
esac
`,
  );
  chmodSync(join(dir, 'bin', 'mysql'), 0o755);
  return join(dir, 'bin');
}

/** The probe as it was: five client runs. */
const FIVE_RUNS = [
  "command -v mysql >/dev/null 2>&1 || { echo 'the mysql client is not installed' >&2; exit 127; }",
  "vars=$(mysql --batch --skip-column-names -e 'SELECT @@gtid_binlog_pos, @@gtid_slave_pos, @@gtid_current_pos, @@read_only, @@log_bin, @@server_id, @@datadir, @@gtid_binlog_state') || exit $?",
  `printf '#vars\\n%s\\n#status\\n' "$vars"`,
  "mysql --batch -e 'SHOW REPLICA STATUS\\G'",
  "printf '#primary\\n'",
  "mysql --batch -e 'SHOW MASTER STATUS\\G'",
  "first=$(mysql --batch --skip-column-names -e 'SHOW BINARY LOGS' 2>/dev/null); first=${first%%$'\\n'*}; first=${first%%$'\\t'*}",
  `case $first in *[!A-Za-z0-9._-]*|'') ;; *) printf '#binlogstart\\n'; mysql --batch --skip-column-names -e "SELECT CONCAT('=', IFNULL(BINLOG_GTID_POS('$first', 4), ''))" ;; esac`,
  "dir=$vars; for i in 1 2 3 4 5 6; do dir=${dir#*$'\\t'}; done; dir=${dir%%$'\\t'*}",
  `if [ -r "$dir/master.info" ]; then mapfile -t -n 6 mi < "$dir/master.info"; h=$(printf '%s' "\${mi[5]}" | sha256sum); printf '#masterinfo\\n%s\\n' "\${h%% *}"; fi`,
].join('\n');

const run = (command: string, bin: string): string =>
  execFileSync('bash', ['-c', command], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
const facts = (stdout: string) => mysqlReplication().parse({ code: 0, stdout, stderr: '' });

describe('mysqlReplication in two client runs', () => {
  it.each([
    ['a replica with master.info and two binlogs', '18\n192.168.56.11\nrepl\n3306\n60\nlab-repl-8c1f4e\n0\n', ['mysql-bin.000001', 'mysql-bin.000002'], true],
    ['a primary: no replica status, one binlog', undefined, ['mysql-bin.000003'], false],
    ['a master.info of fewer than 6 lines', 'x\ny\n', ['mysql-bin.000003'], true],
    ['no master.info, binary logging off', undefined, [], false],
    ["an odd binlog name (never passed on)", undefined, ["bad name'"], false],
  ])('%s: the same facts as the five-run probe', (_case, masterInfo, binlogs, replica) => {
    const bin = server(masterInfo, binlogs, replica);
    const out = run(mysqlReplication().command, bin);
    const before = facts(run(FIVE_RUNS, bin));
    expect(facts(out)).toEqual(before);
    expect(before).toMatchObject({ available: true, gtidBinlogPos: '0-1-7', serverId: 2 });
    if (binlogs[0] === 'mysql-bin.000001') expect(before).toMatchObject({ binlogStartGtidPos: 'at mysql-bin.000001', status: { Slave_IO_Running: 'Yes' } });
    if (binlogs[0]?.includes("'")) expect(before).not.toHaveProperty('binlogStartGtidPos');
  });

  it('hashes the password line only, without its newline', () => {
    const out = run(mysqlReplication().command, server('1\n2\n3\n4\n5\nsecret-pw\n7\n', [], true));
    expect(out).toContain(`#masterinfo\n${createHash('sha256').update('secret-pw').digest('hex')}\n`);
    expect(out).not.toContain('secret-pw');
  });
});
