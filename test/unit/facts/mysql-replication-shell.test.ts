// The replication probe now takes the first binlog's name, @@datadir (7th column) and master.info's
// 6th line with shell expansions instead of head/cut/sed/tr. Its text handling is checked against the
// pipeline it replaced: a stand-in `mysql` on PATH prints what MariaDB printed on the lab's replica
// (web02, with an empty gtid_slave_pos column before it, as on a primary), over a real datadir with a
// master.info; both commands must print the same bytes.
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

/** A datadir, and a `mysql` that answers the probe's four kinds of query from files. */
function server(masterInfo: string | undefined, binlogs: string): string {
  const dir = mkdtempSync(join(root, 'srv-'));
  const datadir = join(dir, 'data');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(datadir);
  if (masterInfo !== undefined) writeFileSync(join(datadir, 'master.info'), masterInfo);
  const vars = `0-1-7\t\t0-1-7\t0\t1\t2\t${datadir}/\t0-1-7`;
  writeFileSync(
    join(dir, 'bin', 'mysql'),
    `#!/bin/bash
case "$*" in
  *@@gtid_binlog_pos*) printf '%s\\n' ${quote(vars)} ;;
  *'SHOW REPLICA STATUS'*) printf '*** 1. row ***\\nSlave_IO_Running: Yes\\n' ;;
  *'SHOW MASTER STATUS'*) printf '*** 1. row ***\\nFile: mysql-bin.000002\\nPosition: 342\\n' ;;
  *'SHOW BINARY LOGS'*) printf '%s' ${quote(binlogs)} ;;
  *BINLOG_GTID_POS*) echo "=$*" ;;
esac
`,
  );
  chmodSync(join(dir, 'bin', 'mysql'), 0o755);
  return join(dir, 'bin');
}

/** The lines the probe ran before (head, cut, sed, tr). */
const OLD_TAIL = [
  "first=$(mysql --batch --skip-column-names -e 'SHOW BINARY LOGS' 2>/dev/null | head -n1 | cut -f1)",
  `case $first in *[!A-Za-z0-9._-]*|'') ;; *) printf '#binlogstart\\n'; mysql --batch --skip-column-names -e "SELECT CONCAT('=', IFNULL(BINLOG_GTID_POS('$first', 4), ''))" ;; esac`,
  `dir=$(printf '%s\\n' "$vars" | cut -f7)`,
  `if [ -r "$dir/master.info" ]; then printf '#masterinfo\\n%s\\n' "$(sed -n 6p "$dir/master.info" | tr -d '\\n' | sha256sum | cut -d' ' -f1)"; fi`,
];

function oldCommand(): string {
  const lines = mysqlReplication().command.split('\n');
  const start = lines.findIndex((l) => l.startsWith('first='));
  return [...lines.slice(0, start).filter((l) => !l.trimStart().startsWith('//')), ...OLD_TAIL].join('\n');
}

const run = (command: string, bin: string): string =>
  execFileSync('bash', ['-c', command], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });

describe('mysqlReplication without head, cut, sed and tr', () => {
  it.each([
    ['a replica with master.info and two binlogs', '18\n192.168.56.11\nrepl\n3306\n60\nlab-repl-8c1f4e\n0\n', 'mysql-bin.000001\t1665\nmysql-bin.000002\t342\n'],
    ['a master.info of fewer than 6 lines', 'x\ny\n', 'mysql-bin.000003\t100\n'],
    ['no master.info, binary logging off', undefined, ''],
    ['an odd binlog name (never passed on)', undefined, "bad name'\t1\n"],
  ])('%s: prints what the old pipeline printed', (_case, masterInfo, binlogs) => {
    const bin = server(masterInfo, binlogs);
    const out = run(mysqlReplication().command, bin);
    expect(out).toBe(run(oldCommand(), bin));
    expect(out).toContain('#vars\n');
  });

  it('hashes the password line only, without its newline', () => {
    const out = run(mysqlReplication().command, server('1\n2\n3\n4\n5\nsecret-pw\n7\n', ''));
    expect(out).toContain(`#masterinfo\n${createHash('sha256').update('secret-pw').digest('hex')}\n`);
    expect(out).not.toContain('secret-pw');
  });
});
