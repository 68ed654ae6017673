// Kernel parameters: the live value (from /proc/sys, no sysctl binary needed) and the last value
// persisted for the key in a sysctl file.

import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import type { Probe } from './types.js';

export interface SysctlValue {
  /** Live value, whitespace collapsed ("32768 60999"); absent when the key does not exist. */
  current?: string;
  /** Value of the last `name = value` line in the file, whitespace collapsed. */
  persisted?: string;
}

/** sysctl keys use dots or slashes; /proc/sys uses slashes. */
export function sysctlProcPath(name: string): string {
  return `/proc/sys/${name.replace(/\./g, '/')}`;
}

export function normalizeSysctl(value: string): string {
  return value.trim().split(/\s+/).join(' ');
}

export function sysctlValue(name: string, file = '/etc/sysctl.conf'): Probe<SysctlValue> {
  return {
    key: `sysctl:${name}:${file}`,
    command: `printf 'current:'; cat -- ${quote(sysctlProcPath(name))} 2>/dev/null || echo '<absent>'; cat -- ${quote(file)} 2>/dev/null || true`,
    parse: (result) => parseSysctlValue(result, name),
  };
}

export function parseSysctlValue(result: ExecResult, name: string): SysctlValue {
  const lines = result.stdout.split('\n');
  const first = lines[0] ?? '';
  const value: SysctlValue = {};
  if (first.startsWith('current:') && first !== 'current:<absent>') value.current = normalizeSysctl(first.slice(8));
  const persisted = persistedSysctl(lines.slice(1).join('\n'), name);
  if (persisted !== undefined) value.persisted = persisted;
  return value;
}

/** Last value given to `name` in a sysctl.conf text (comments with # or ; ignored). */
export function persistedSysctl(text: string, name: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const parsed = parseSysctlLine(line);
    if (parsed && parsed.key === name) found = parsed.value;
  }
  return found;
}

export function parseSysctlLine(line: string): { key: string; value: string } | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || t.startsWith(';')) return undefined;
  const eq = t.indexOf('=');
  if (eq < 0) return undefined;
  // A leading '-' means "ignore errors" to systemd-sysctl; the key is the same.
  const key = t.slice(0, eq).trim().replace(/^-/, '');
  return { key, value: normalizeSysctl(t.slice(eq + 1)) };
}
