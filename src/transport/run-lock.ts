// One run per host at a time: the lock is an flock on a file of the host's state directory, taken by
// the run's persistent shell while it starts (no round trip of its own) and held by that shell's file
// descriptor 9, so it is released when the run ends or its connection dies. Who holds it (user,
// control host, pid, playbook, since when) is written beside it, for the run that is refused. The same
// start-up prints the host's pending handlers (handlers-NAME.json, see engine/pending-handlers.ts).

import { HostTaskError } from '../core/errors.js';
import { quote } from '../core/shell.js';
import type { Become } from './types.js';

export interface RunLockRequest {
  /** Where the host keeps provision's state (default /var/lib/provision). */
  stateDir: string;
  /** The inventory host name (two names for one machine in a run must not lock each other out). */
  name: string;
  /** One line: who takes the lock. */
  holder: string;
  /** Wait this long for a run that holds the lock (0: refuse at once). */
  waitSeconds: number;
  /** The shell that holds the lock: root when the run becomes root, else the login user's. */
  become: Become | false;
}

export interface RunLockGrant {
  /** The host's pending-handlers file (empty when there is none). */
  pendingHandlers: string;
}

/** Printed on the shell's stderr, before the holder's line, when the lock is held by another run. */
export const LOCK_HELD_MARK = 'PROVISION-RUN-LOCK-HELD';

export class RunLockedError extends HostTaskError {
  constructor(
    host: string,
    readonly holder: string,
    waitSeconds: number,
  ) {
    const waited = waitSeconds > 0 ? ` for ${waitSeconds} s (--lock-timeout)` : '';
    super(
      host,
      `another run holds the lock of this host${waited ? `, still after waiting${waited}` : ''}: ${holder || 'holder unknown'}` +
        (waitSeconds > 0 ? '' : '. Wait for it, or pass --lock-timeout SECONDS to wait'),
    );
  }
}

/** A file name part made of the host name (inventory names are free text). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The lines the persistent shell runs before it says ready. On a host that has its state directory and
 * no pending handlers (every run but the first) it starts no process besides flock and mv: each costs
 * milliseconds of a small host's CPU, on every run. A user who cannot write the state
 * directory keeps a private one under /tmp: such a run can only change what that user may change.
 */
export function runLockPreamble(request: RunLockRequest): string {
  const wait = Math.max(0, Math.floor(request.waitSeconds));
  const name = safeName(request.name);
  return `L=${quote(request.stateDir)}
if ! { { [ -d "$L" ] || mkdir -p -- "$L" 2>/dev/null; } && [ -w "$L" ]; }; then
  L=/tmp/provision-state-$(id -u)
  mkdir -p -m 700 -- "$L" 2>/dev/null; [ -O "$L" ] && [ -w "$L" ] || { echo "provision: cannot use a state directory ($L)" >&2; exit 96; }
fi
exec 9>>"$L/run-${name}.lock" || exit 96
if ! flock ${wait > 0 ? `-w ${wait}` : '-n'} 9; then
  { echo ${LOCK_HELD_MARK}; head -c 2000 -- "$L/run-${name}.holder" 2>/dev/null; } >&2
  exit 75
fi
printf '%s\\n' ${quote(request.holder)} >"$L/run-${name}.holder.$$" && mv -f -- "$L/run-${name}.holder.$$" "$L/run-${name}.holder"
# The shell's commands find the state directory here (engine/pending-handlers.ts writes to it).
export PROVISION_HOST_STATE=$L
if [ -s "$L/handlers-${name}.json" ]; then printf '%s info %s\\n' "$S" "$(base64 -w0 <"$L/handlers-${name}.json" 2>/dev/null)"; else printf '%s info \\n' "$S"; fi
`;
}

/** The holder's line from what the refused shell printed on stderr. */
export function lockHolderFrom(stderr: string): string | undefined {
  const at = stderr.indexOf(LOCK_HELD_MARK);
  if (at < 0) return undefined;
  return stderr.slice(at + LOCK_HELD_MARK.length).trim();
}
