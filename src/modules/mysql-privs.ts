// Privileges in Ansible's mysql_user `priv` format (`db.table:PRIV1,PRIV2/db2.*:PRIV`) and as read back
// from SHOW GRANTS, both normalised to object → set of privileges so that they can be compared.

/** Object (`*.*`, `foobar.*`, `db.table`, no backticks) → privileges (upper case; `GRANT` = WITH GRANT OPTION). */
export type PrivMap = Map<string, Set<string>>;

/** Names the server prints differently from what people write. */
const ALIASES: Record<string, string> = {
  'ALL PRIVILEGES': 'ALL',
  'REPLICATION REPLICA': 'REPLICATION SLAVE',
  'REPLICATION CLIENT': 'BINLOG MONITOR',
  // MariaDB 10.5.9+: SHOW GRANTS prints SLAVE MONITOR for both names.
  'REPLICA MONITOR': 'SLAVE MONITOR',
};

export function normalizePriv(priv: string): string {
  const p = priv.trim().replace(/\s+/g, ' ').toUpperCase();
  return ALIASES[p] ?? p;
}

/** `db`.`table` or db.table → db.table (USAGE alone means no privilege, so it yields an empty set). */
export function normalizeObject(object: string): string {
  const parts = object.trim().match(/`(?:[^`]|``)*`|[^.]+/g) ?? [];
  return parts.map((p) => (p.startsWith('`') ? p.slice(1, -1).replace(/``/g, '`') : p)).join('.');
}

function add(map: PrivMap, object: string, privs: string[]): void {
  const set = map.get(object) ?? new Set<string>();
  for (const p of privs.map(normalizePriv)) if (p !== 'USAGE' && p !== '') set.add(p);
  map.set(object, set);
}

/** Parses Ansible's `priv` string; throws on an entry without `:`. */
export function parsePrivString(priv: string): PrivMap {
  const map: PrivMap = new Map();
  for (const entry of priv.split('/').map((e) => e.trim()).filter(Boolean)) {
    const colon = entry.lastIndexOf(':');
    if (colon <= 0) throw new Error(`privilege entry '${entry}' is not db.table:PRIV[,PRIV]`);
    add(map, normalizeObject(entry.slice(0, colon)), entry.slice(colon + 1).split(','));
  }
  return dropEmpty(map);
}

/** SHOW GRANTS lines (credentials already stripped) → PrivMap; PROXY and role grants are ignored. */
export function parseGrants(lines: readonly string[]): PrivMap {
  const map: PrivMap = new Map();
  for (const line of lines) {
    const m = /^GRANT (.+?) ON (\S+) TO \S+(?:.*?( WITH GRANT OPTION))?/.exec(line);
    if (!m?.[1] || !m[2] || /^PROXY$/i.test(m[1])) continue;
    // Column privileges (`SELECT (a, b)`) are out of scope: keep the privilege word only.
    const privs = m[1].replace(/\([^)]*\)/g, '').split(',');
    add(map, normalizeObject(m[2]), m[3] ? [...privs, 'GRANT'] : privs);
  }
  return dropEmpty(map);
}

function dropEmpty(map: PrivMap): PrivMap {
  for (const [k, v] of map) if (v.size === 0) map.delete(k);
  return map;
}

function sameSet(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!a || !b) return (a?.size ?? 0) === (b?.size ?? 0);
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Objects whose privileges differ between what the account has and what is asked. */
export function changedObjects(have: PrivMap, want: PrivMap): string[] {
  const objects = new Set([...have.keys(), ...want.keys()]);
  return [...objects].filter((o) => !sameSet(have.get(o), want.get(o))).sort();
}

/** `db`.`table` for GRANT/REVOKE (`*` stays a wildcard). */
export function objectSql(object: string): string {
  const dot = object.indexOf('.');
  const [db, table] = dot < 0 ? [object, '*'] : [object.slice(0, dot), object.slice(dot + 1)];
  const ident = (s: string) => (s === '*' ? '*' : `\`${s.replace(/`/g, '``')}\``);
  return `${ident(db)}.${ident(table)}`;
}

export function formatPrivs(map: PrivMap): string {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([o, s]) => `${o}:${[...s].sort().join(',')}`).join('/');
}
