// Handlers are never lost: the notifications a run could not run (a later task failed, the host
// failed, the run was interrupted) are recorded on the host, in STATE_DIR/handlers-NAME.json (written
// atomically), read back with the run lock (no extra round trip) and run at the end of the next run of
// a play that defines a handler for them, even when nothing changes then; cleared once they ran.

import type { Play } from '../core/playbook/types.js';
import { messageOnHost } from '../core/errors.js';
import { safeName } from '../transport/run-lock.js';
import type { HostState } from './host-state.js';
import type { RunContext } from './run-context.js';
import { stateShellBecome } from './run-lock.js';

/** The notification names (handler names or listen topics) in the host's file; [] when none or unreadable. */
export function parsePendingHandlers(text: string): string[] {
  if (text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * At the end of a play, before its handlers run: the notifications an earlier run left on the host
 * for this play's handlers become notifications of this run. Connecting takes the lock and reads
 * them, when no task of the play has connected yet.
 */
export async function restorePendingHandlers(play: Play, hosts: readonly HostState[]): Promise<void> {
  if (play.handlers.length === 0) return;
  await Promise.all(hosts.map((h) => h.connection().catch(() => undefined)));
  for (const host of hosts) {
    for (const topic of host.pendingFromHost) if (answers(play, topic)) host.notified.add(topic);
  }
}

/**
 * After the play's handlers: what is still to run on the host (this play's notifications that did not
 * run, the earlier ones minus those whose handler ran) is written to the host, atomically, when it
 * differs from what the host has. `ran` holds the topics whose handler ran without failing.
 */
export async function savePendingHandlers(
  rc: RunContext,
  play: Play,
  host: HostState,
  notRun: readonly string[],
  ran: ReadonlySet<string>,
): Promise<void> {
  // --check writes nothing to a host, this file included.
  if (!rc.runLock || rc.options.check) return;
  const kept = host.pendingFromHost.filter((t) => !ran.has(t) && !notRun.includes(t));
  const next = [...kept, ...notRun.filter((t) => answers(play, t))];
  if (sameList(next, host.pendingFromHost)) return;
  const transport = host.transport;
  if (!transport) return;
  const file = `"$PROVISION_HOST_STATE"/handlers-${safeName(host.name)}.json`;
  const script =
    next.length === 0
      ? `[ -n "$PROVISION_HOST_STATE" ] && rm -f -- ${file}`
      : `[ -n "$PROVISION_HOST_STATE" ] || exit 3; t=$(mktemp ${file}.XXXXXX) && cat >"$t" && chmod 644 "$t" && mv -f -- "$t" ${file}`;
  try {
    const r = await transport.exec(script, { stdin: JSON.stringify(next), ...stateShellBecome(rc.runLock, host) });
    if (r.code !== 0) throw new Error(r.stderr.trim() || `exit code ${r.code}`);
    host.pendingFromHost = next;
  } catch (error) {
    rc.emit({
      type: 'warning',
      host: host.name,
      message: `could not record the pending handlers on ${host.name} (${next.join(', ')}): ${messageOnHost(error as Error, host.name)}`,
    });
  }
}

function answers(play: Play, topic: string): boolean {
  return play.handlers.some((h) => h.listen.includes(topic));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
