// systemd unit state through `systemctl show` (stable Key=Value output, unlike is-active/is-enabled codes).

import type { ExecResult } from '../transport/types.js';
import { probeFailure } from './probe-error.js';
import { PLAIN_UNIT, serviceStateFamily, systemctlShow } from './service-state-family.js';
import type { Probe } from './types.js';

export interface ServiceState {
  /** LoadState is not "not-found". */
  exists: boolean;
  loadState: string;
  /** active, inactive, failed, activating, deactivating, reloading */
  activeState: string;
  subState: string;
  /** enabled, disabled, static, masked, indirect, alias, generated, ... ('' when unknown) */
  unitFileState: string;
  /** A unit file changed on disk since systemd loaded it. */
  needDaemonReload: boolean;
}

export function serviceState(name: string): Probe<ServiceState> {
  return {
    key: `service:${name}`,
    command: systemctlShow([name]),
    parse: parseServiceState,
    ...(PLAIN_UNIT.test(name) ? { merge: { family: serviceStateFamily, input: name } } : {}),
  };
}

export function parseServiceState(result: ExecResult): ServiceState {
  const props = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const loadState = props.get('LoadState');
  if (result.code !== 0 || loadState === undefined) throw probeFailure('systemctl show failed', result);
  return {
    exists: loadState !== 'not-found',
    loadState,
    activeState: props.get('ActiveState') ?? '',
    subState: props.get('SubState') ?? '',
    unitFileState: props.get('UnitFileState') ?? '',
    needDaemonReload: props.get('NeedDaemonReload') === 'yes',
  };
}
