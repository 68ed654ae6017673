// Ansible's connection variables -> ConnectionSettings, validated with zod (inventory values may be
// strings of numbers, and old `ansible_ssh_*` spellings still appear in real inventories).

import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './defaults.js';
import type { ConnectionSettings, RecordedHostKey } from './types.js';

export interface ConnectionOverrides {
  trustOnFirstUse?: boolean;
  connectTimeoutMs?: number;
  /** From the command line. Like Ansible's `-u`, inventory `ansible_user` wins over it. */
  user?: string;
  /** From the command line. Like Ansible's `--private-key`, `ansible_ssh_private_key_file` wins. */
  privateKeyFile?: string;
  onHostKeyRecorded?: (key: RecordedHostKey) => void;
}

/** The connect timeout when none is given (`-T/--timeout` defaults to it too). */
export { DEFAULT_CONNECT_TIMEOUT_MS };

const text = z.union([z.string(), z.number()]).transform((v) => String(v));
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole port number')
  .min(1, 'must be a port number (1-65535)')
  .max(65535, 'must be a port number (1-65535)');

const schema = z.object({
  ansible_host: text.optional(),
  ansible_ssh_host: text.optional(),
  ansible_port: port.optional(),
  ansible_ssh_port: port.optional(),
  ansible_user: text.optional(),
  ansible_ssh_user: text.optional(),
  ansible_ssh_private_key_file: text.optional(),
  ansible_private_key_file: text.optional(),
  ansible_password: text.optional(),
  ansible_ssh_pass: text.optional(),
  ansible_become_password: text.optional(),
  ansible_become_pass: text.optional(),
  // `smart` and `paramiko` are Ansible's other names for an SSH connection.
  ansible_connection: z
    .enum(['ssh', 'local', 'smart', 'paramiko'], { error: "must be 'ssh' or 'local'" })
    .optional(),
  provision_known_hosts_file: text.optional(),
  // Seconds an OpenSSH master connection outlives its last use (openssh.ts); 0: a connection per run.
  provision_control_persist: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 (off) or a number of seconds')
    .optional(),
});

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

export function connectionSettingsFromVars(
  host: string,
  vars: Record<string, unknown>,
  overrides: ConnectionOverrides = {},
): ConnectionSettings {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, vars[k] ?? undefined]));
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'connection variables');
    throw new InputError(
      `host '${host}': ${name} ${issue?.message ?? 'is invalid'}, got ${JSON.stringify(vars[name])}`,
      undefined,
      'connection variables: ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file, ansible_connection, provision_control_persist',
    );
  }
  const v = parsed.data;
  const keyFile = v.ansible_ssh_private_key_file ?? v.ansible_private_key_file ?? overrides.privateKeyFile;
  const password = v.ansible_password ?? v.ansible_ssh_pass;
  const becomePassword = v.ansible_become_password ?? v.ansible_become_pass;
  return {
    host,
    address: v.ansible_host ?? v.ansible_ssh_host ?? host,
    port: v.ansible_port ?? v.ansible_ssh_port ?? 22,
    user: v.ansible_user ?? v.ansible_ssh_user ?? overrides.user ?? userInfo().username,
    ...(keyFile !== undefined ? { privateKeyFile: expandHome(keyFile) } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    connection: v.ansible_connection === 'local' ? 'local' : 'ssh',
    trustOnFirstUse: overrides.trustOnFirstUse ?? false,
    knownHostsFile: expandHome(v.provision_known_hosts_file ?? '~/.ssh/known_hosts'),
    connectTimeoutMs: overrides.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(v.provision_control_persist ? { controlPersistSeconds: v.provision_control_persist } : {}),
    ...(overrides.onHostKeyRecorded ? { onHostKeyRecorded: overrides.onHostKeyRecorded } : {}),
  };
}
