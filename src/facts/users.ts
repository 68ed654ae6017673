// Local accounts from the name service (getent), so LDAP/NSS users are seen as the tools see them.

import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import type { Probe } from './types.js';

export type UserInfo =
  | { exists: false }
  | {
      exists: true;
      name: string;
      uid: number;
      gid: number;
      comment: string;
      home: string;
      shell: string;
      /** Primary group name. */
      group: string;
      /** Supplementary groups (the primary group left out). */
      groups: string[];
      /** Shadow hash, only when asked for (needs root). */
      passwordHash?: string;
    };

export function userInfo(name: string, options: { password?: boolean } = {}): Probe<UserInfo> {
  const n = quote(name);
  const shadow = options.password ? `; printf 'shadow:%s\\n' "$(getent shadow -- ${n} | cut -d: -f2)"` : '';
  return {
    key: `user:${options.password ? 'shadow:' : ''}${name}`,
    command: `if getent passwd -- ${n}; then printf 'group:%s\\ngroups:%s\\n' "$(id -gn -- ${n})" "$(id -Gn -- ${n})"${shadow}; else echo absent; fi`,
    parse: parseUserInfo,
  };
}

export function parseUserInfo(result: ExecResult): UserInfo {
  const lines = result.stdout.split('\n');
  if (lines[0] === 'absent' || !lines[0]) return { exists: false };
  const [name = '', , uid = '', gid = '', comment = '', home = '', shell = ''] = lines[0].split(':');
  const field = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length);
  const group = field('group:') ?? '';
  const all = (field('groups:') ?? '').split(/\s+/).filter(Boolean);
  const info: UserInfo = {
    exists: true,
    name,
    uid: Number(uid),
    gid: Number(gid),
    comment,
    home,
    shell,
    group,
    groups: all.filter((g) => g !== group),
  };
  const hash = field('shadow:');
  if (hash !== undefined) info.passwordHash = hash;
  return info;
}

export type GroupInfo = { exists: false } | { exists: true; name: string; gid: number; members: string[] };

export function groupInfo(name: string): Probe<GroupInfo> {
  return {
    key: `group:${name}`,
    command: `getent group -- ${quote(name)} || echo absent`,
    parse: parseGroupInfo,
  };
}

export function parseGroupInfo(result: ExecResult): GroupInfo {
  const line = result.stdout.split('\n')[0] ?? '';
  if (line === 'absent' || line === '') return { exists: false };
  const [name = '', , gid = '', members = ''] = line.split(':');
  return { exists: true, name, gid: Number(gid), members: members.split(',').filter(Boolean) };
}
