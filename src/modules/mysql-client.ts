// Shared by the mysql_* modules: SQL quoting, the client command, and the password hash compared
// locally. Every statement reaches the server on the `mysql` client's stdin (root through the unix
// socket, no password), so neither SQL nor secrets ever appear in a process's argv.

import { createHash } from 'node:crypto';
import type { ExecAction } from './types.js';

/** The client as actions run it: batch mode, stops at the first error (exit 1). */
export const MYSQL_CLIENT = 'mysql --batch';

/** A SQL string literal ('...' with quotes and backslashes escaped). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
}

/** A SQL identifier (`...`); `*` stays a wildcard as in `db.*`. */
export function sqlIdent(value: string): string {
  return value === '*' ? '*' : `\`${value.replace(/`/g, '``')}\``;
}

/** 'user'@'host', the account name of CREATE USER, GRANT and SHOW GRANTS. */
export function accountName(user: string, host: string): string {
  return `${sqlString(user)}@${sqlString(host)}`;
}

/**
 * mysql_native_password's stored value for a password: '*' + HEX(SHA1(SHA1(password))), what
 * MariaDB's PASSWORD() returns. Computing it here lets a plan compare passwords without sending one.
 */
export function nativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

/** One client run with the statements on stdin; `sensitive` when they carry a password. */
export function sqlAction(statements: string[], describe: string, sensitive = false): ExecAction {
  return {
    kind: 'exec',
    command: MYSQL_CLIENT,
    stdin: `${statements.map((s) => `${s};`).join('\n')}\n`,
    describe,
    ...(sensitive ? { sensitive: true } : {}),
  };
}
