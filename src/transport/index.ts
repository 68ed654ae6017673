// The transport's public face: pick SSH or local from the settings. Nothing connects until connect().

import type { ConnectionSettings, Transport } from './types.js';
import { LocalTransport } from './local.js';
import { OpenSshTransport } from './openssh.js';
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
  // A shared master needs ssh's own key authentication and a known host key: a password login or a
  // key to record on first use stays with the built-in client, which asks and reports them itself.
  const persist = settings.controlPersistSeconds;
  if (persist && settings.password === undefined && !settings.trustOnFirstUse) return new OpenSshTransport(settings, persist);
  return new SshTransport(settings);
}
