// Whether a TCP port accepts connections, seen from the managed host (bash's /dev/tcp, no nc needed).

import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import type { Probe } from './types.js';

export type PortState = 'open' | 'closed';

export function portState(host: string, port: number, options: { timeoutSeconds?: number } = {}): Probe<PortState> {
  const timeout = Math.max(1, Math.round(options.timeoutSeconds ?? 2));
  const inner = `exec 3<>${quote(`/dev/tcp/${host}/${port}`)}`;
  return {
    key: `port:${host}:${port}`,
    command: `if timeout ${timeout} bash -c ${quote(inner)} 2>/dev/null; then echo open; else echo closed; fi`,
    parse: parsePortState,
  };
}

export function parsePortState(result: ExecResult): PortState {
  return result.stdout.trim() === 'open' ? 'open' : 'closed';
}
