// The engine's side of the per-host run lock (transport/run-lock.ts): who this run is, and which shell
// holds the lock: root's when the run becomes root on the host (the shell the tasks will use anyway),
// else the login user's. Taken when the host's connection opens, before fact gathering or any task.

import { hostname, userInfo } from 'node:os';
import type { Playbook } from '../core/playbook/types.js';
import { parseYesNo } from '../core/yes-no.js';
import type { Transport } from '../transport/types.js';
import type { HostState } from './host-state.js';
import { parsePendingHandlers } from './pending-handlers.js';

export const DEFAULT_STATE_DIR = '/var/lib/provision';

export interface RunLockPlan {
  holder: string;
  waitSeconds: number;
  stateDir: string;
  /** Some play, task or handler of the playbook asks for become. */
  playbookBecomes: boolean;
}

export function runLockPlan(playbook: Playbook, waitSeconds: number, stateDir: string | undefined): RunLockPlan {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid: keep 'unknown'.
  }
  const holder = `user=${user} control=${hostname()} pid=${process.pid} playbook=${playbook.path} since=${new Date().toISOString()}`;
  const playbookBecomes = playbook.plays.some(
    (p) => p.become || [...p.tasks, ...p.handlers].some((t) => t.become === true),
  );
  return { holder, waitSeconds, stateDir: stateDir ?? DEFAULT_STATE_DIR, playbookBecomes };
}

/** The shell that holds the lock and keeps the host's state: root's when the run becomes root there. */
export function stateShellBecome(plan: RunLockPlan, host: HostState): { become: { user?: string } | false } {
  const becomes = plan.playbookBecomes || parseYesNo(host.inventoryVars.ansible_become) === true;
  return { become: becomes ? {} : false };
}

export async function takeRunLock(plan: RunLockPlan, host: HostState, transport: Transport): Promise<void> {
  const grant = await transport.lock({
    stateDir: plan.stateDir,
    name: host.name,
    holder: plan.holder,
    waitSeconds: plan.waitSeconds,
    ...stateShellBecome(plan, host),
  });
  host.pendingFromHost = parsePendingHandlers(grant.pendingHandlers);
}
