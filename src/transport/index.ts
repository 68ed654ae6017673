// The transport's public face: pick SSH or local from the settings. Nothing connects until connect().

import type { ConnectionSettings, Transport } from './types.js';
import { LocalTransport } from './local.js';
import { SshTransport } from './ssh.js';

export { connectionSettingsFromVars, type ConnectionOverrides } from './connection-settings.js';
export { BecomeError } from './become.js';
export { RunLockedError, type RunLockGrant, type RunLockRequest } from './run-lock.js';
export type { Become, ConnectionSettings, ExecOptions, ExecResult, RoundTripTally, Transport } from './types.js';

export function openTransport(settings: ConnectionSettings): Transport {
  if (settings.connection === 'local') {
    return new LocalTransport(settings.host, {
      ...(settings.becomePassword !== undefined ? { becomePassword: settings.becomePassword } : {}),
    });
  }
  return new SshTransport(settings);
}
