// The mysql probes of one batch (the accounts and databases a window of mysql_user/mysql_db tasks
// reads) ask one `mysql` client run instead of one each: a client run is a process start and a login,
// the costly part of these probes. Their queries go one after another in one here-document, each
// member's section markers numbered (`#m2-user`), and the output is cut back at the markers into what
// each member's own run prints. With --force a failing statement (SHOW GRANTS for a missing account)
// prints `ERROR ... at line N` and the run goes on: the line is given back to its member with N
// counted from that member's own first line, as its own run numbers it.

import type { ExecResult } from '../transport/types.js';
import type { ProbeFamily } from './types.js';

export interface Query {
  name: string;
  /** SQL (one or more statements, each ending with `;` or `\G`); must not contain the delimiter line. */
  sql: string;
}

/** What a mysql probe asks: its queries, as mysqlQueryCommand runs them alone. */
export interface MysqlProbeInput {
  queries: readonly Query[];
}

const DELIMITER = 'PROVISION_SQL';

/** The shell command that runs the queries: --force so that one failing statement (SHOW GRANTS for a
 * missing account) does not hide the others. Its stderr is kept for the unavailable case. */
export function mysqlQueryCommand(queries: readonly Query[]): string {
  const sql = queries.map((q) => `SELECT '#${q.name}';\n${q.sql}`).join('\n');
  return [
    "command -v mysql >/dev/null 2>&1 || { echo 'the mysql client is not installed' >&2; exit 127; }",
    // exec: the probe's own shell becomes the client instead of starting it as one more process.
    `exec mysql --batch --skip-column-names --force <<'${DELIMITER}'`,
    sql,
    DELIMITER,
  ].join('\n');
}

const marker = (member: number, name: string) => `m${member}-${name}`;
const ERROR_AT_LINE = /^(ERROR \d+ \([0-9A-Z]+\) at line )(\d+)(: .*)$/;

/** Lines of the here-document a member's queries take (a marker SELECT, then the SQL, per query). */
function sqlLines(input: MysqlProbeInput): number {
  return input.queries.reduce((n, q) => n + 1 + q.sql.split('\n').length, 0);
}

export const mysqlFamily: ProbeFamily<MysqlProbeInput> = {
  name: 'mysql',
  command: (inputs) => mysqlQueryCommand(inputs.flatMap((input, i) => input.queries.map((q) => ({ name: marker(i, q.name), sql: q.sql })))),
  split: (result, inputs) => splitMysql(result, inputs),
};

function splitMysql(result: ExecResult, inputs: readonly MysqlProbeInput[]): ExecResult[] | undefined {
  const lines = result.stdout.split('\n');
  if (lines.pop() !== '') return undefined;
  const expected = inputs.flatMap((input, i) => input.queries.map((q) => ({ member: i, name: q.name, line: `#${marker(i, q.name)}` })));
  // No marker at all: the client or the server is not there, which each member alone meets alike.
  if (!lines.some((l) => expected.some((e) => e.line === l))) return sameForEach(result, inputs);
  if (result.code !== 0 || lines[0] !== expected[0]?.line) return undefined;

  const stdout = inputs.map(() => '');
  let next = 0;
  let member = -1;
  for (const line of lines) {
    const e = expected[next];
    if (e && line === e.line) {
      member = e.member;
      stdout[member] += `#${e.name}\n`;
      next++;
    } else {
      stdout[member] += `${line}\n`;
    }
  }
  if (next !== expected.length) return undefined;

  const stderr = inputs.map(() => '');
  const errors = result.stderr.split('\n');
  if (errors.pop() !== '') return undefined;
  const firstLine: number[] = [];
  let at = 1;
  for (const input of inputs) {
    firstLine.push(at);
    at += sqlLines(input);
  }
  for (const error of errors) {
    const m = ERROR_AT_LINE.exec(error);
    if (!m) return undefined;
    const n = Number(m[2]);
    const owner = firstLine.findLastIndex((start) => start <= n);
    if (owner < 0 || n >= at) return undefined;
    stderr[owner] += `${m[1]}${n - (firstLine[owner] ?? 1) + 1}${m[3]}\n`;
  }
  return inputs.map((_, i) => ({ code: 0, stdout: stdout[i] ?? '', stderr: stderr[i] ?? '' }));
}

function sameForEach(result: ExecResult, inputs: readonly MysqlProbeInput[]): ExecResult[] {
  return inputs.map(() => ({ ...result }));
}
