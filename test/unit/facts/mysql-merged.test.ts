import { describe, expect, it } from 'vitest';
import { mysqlFamily } from '../../../src/facts/mysql-family.js';
import { mysqlDatabase, mysqlUser } from '../../../src/facts/mysql.js';
import type { Probe } from '../../../src/facts/types.js';

const inputsOf = (probes: Probe<unknown>[]) => probes.map((p) => p.merge?.input) as Parameters<typeof mysqlFamily.command>[0];
// Two accounts (4 here-document lines each: marker, SELECT, marker, SHOW GRANTS) and a database (2).
const probes = [mysqlUser('repl', '192.168.56.11'), mysqlUser('nobody', 'x'), mysqlDatabase('foobar')];
const inputs = inputsOf(probes);

describe('mysql probes merged into one client run', () => {
  it('are all members of the mysql family', () => {
    for (const p of probes) expect(p.merge?.family).toBe(mysqlFamily);
  });

  it('asks every query in one here-document, the markers numbered by member', () => {
    const command = mysqlFamily.command(inputs);
    expect(command.match(/mysql --batch/g)).toHaveLength(1);
    expect([...command.matchAll(/^SELECT '#([^']+)';$/gm)].map((m) => m[1])).toEqual(['m0-user', 'm0-grants', 'm1-user', 'm1-grants', 'm2-db']);
    expect(command).toContain("SHOW GRANTS FOR 'nobody'@'x';");
  });

  it("gives each member the output and the error lines of its own run, numbered from its own first line", () => {
    const merged = {
      code: 0,
      stdout: '#m0-user\nmysql_native_password\t*A1\n#m0-grants\nGRANT REPLICATION SLAVE ON *.* TO `repl`@`192.168.56.11`\n#m1-user\n#m1-grants\n#m2-db\nutf8mb4\tutf8mb4_general_ci\n',
      stderr: "ERROR 1141 (42000) at line 8: There is no such grant defined for user 'nobody' on host 'x'\n",
    };
    expect(mysqlFamily.split(merged, inputs)).toEqual([
      { code: 0, stdout: '#user\nmysql_native_password\t*A1\n#grants\nGRANT REPLICATION SLAVE ON *.* TO `repl`@`192.168.56.11`\n', stderr: '' },
      { code: 0, stdout: '#user\n#grants\n', stderr: "ERROR 1141 (42000) at line 4: There is no such grant defined for user 'nobody' on host 'x'\n" },
      { code: 0, stdout: '#db\nutf8mb4\tutf8mb4_general_ci\n', stderr: '' },
    ]);
    const parsed = mysqlFamily.split(merged, inputs)?.map((r, i) => probes[i]?.parse(r));
    expect(parsed).toEqual([
      { available: true, exists: true, plugin: 'mysql_native_password', authString: '*A1', grants: ['GRANT REPLICATION SLAVE ON *.* TO `repl`@`192.168.56.11`'] },
      { available: true, exists: false },
      { available: true, exists: true, encoding: 'utf8mb4', collation: 'utf8mb4_general_ci' },
    ]);
  });

  it('gives every member the same failure when no query ran (no client, no server)', () => {
    const down = { code: 1, stdout: '', stderr: "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n" };
    expect(mysqlFamily.split(down, inputs)).toEqual([down, down, down]);
    expect(probes[2]?.parse(down)).toMatchObject({ available: false });
  });

  it('runs the members one by one when the output is not what their queries print', () => {
    const ok = '#m0-user\n#m0-grants\n#m1-user\n#m1-grants\n#m2-db\n';
    // A marker missing (the run stopped half-way), out of order, a failed run, an error without a line.
    expect(mysqlFamily.split({ code: 0, stdout: '#m0-user\n#m0-grants\n#m1-user\n', stderr: '' }, inputs)).toBeUndefined();
    expect(mysqlFamily.split({ code: 0, stdout: '#m0-grants\n#m0-user\n#m1-user\n#m1-grants\n#m2-db\n', stderr: '' }, inputs)).toBeUndefined();
    expect(mysqlFamily.split({ code: 1, stdout: ok, stderr: '' }, inputs)).toBeUndefined();
    expect(mysqlFamily.split({ code: 0, stdout: ok, stderr: 'mysql: [Warning] something\n' }, inputs)).toBeUndefined();
    expect(mysqlFamily.split({ code: 0, stdout: ok, stderr: 'ERROR 1064 (42000) at line 99: past the end\n' }, inputs)).toBeUndefined();
    expect(mysqlFamily.split({ code: 0, stdout: ok, stderr: '' }, inputs)).toHaveLength(3);
  });
});
