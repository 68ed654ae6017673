// A whole run: plays in order over their hosts, then the recap, the retry file and the exit code.

import { writeFileSync } from 'node:fs';
import type { Inventory } from '../core/inventory/types.js';
import type { Playbook } from '../core/playbook/types.js';
import { ExitCode, InputError, type ExitCodeValue } from '../core/errors.js';
import type { EventBus, HostCounts } from './events.js';
import type { RunOptions } from './options.js';
import { runPlay, type StartAt } from './play-runner.js';
import { RunContext } from './run-context.js';
import { runLockPlan } from './run-lock.js';
import { collectSecrets } from './secrets.js';
import { matchesTaskName } from './task-filter.js';

export interface RunSummary {
  hosts: Record<string, HostCounts>;
  exitCode: ExitCodeValue;
  retryFile?: string;
}

/** Hosts of a play after --limit, in inventory order. */
export function playHosts(inventory: Inventory, pattern: string, limit: string | undefined): string[] {
  const hosts = inventory.select(pattern);
  if (!limit) return hosts;
  const allowed = new Set(inventory.select(limit));
  return hosts.filter((h) => allowed.has(h));
}

/**
 * `interrupt` aborts the run (SIGINT/SIGTERM): its reason is the signal's name. `knownSecrets`: the
 * secrets found before the run (collectSecrets), when the caller has them already (the CLI gives the
 * same list to the history); found here otherwise.
 */
export async function runPlaybook(
  playbook: Playbook,
  inventory: Inventory,
  options: RunOptions,
  bus: EventBus,
  interrupt?: AbortSignal,
  knownSecrets: readonly string[] = collectSecrets(playbook, inventory, options.extraVars),
): Promise<RunSummary> {
  const started = Date.now();
  if (options.startAtTask && !playbook.plays.some((p) => p.tasks.some((t) => matchesTaskName(t, options.startAtTask as string)))) {
    throw new InputError(`--start-at-task: no task named '${options.startAtTask}' in ${playbook.path}`);
  }
  const rc = new RunContext(inventory, options, bus, playbook.dir);
  rc.runLock = runLockPlan(playbook, options.lockTimeoutSeconds, options.stateDir);
  for (const secret of knownSecrets) rc.addSecret(secret);
  const allHosts = [...new Set(playbook.plays.flatMap((p) => playHosts(inventory, p.hosts, options.limit)))];
  rc.emit({ type: 'run_start', playbook: playbook.path, check: options.check, diff: options.diff, hosts: allHosts });

  const startAt: StartAt = { pending: options.startAtTask };
  let interrupting: Promise<void> | undefined;
  const onAbort = (): void => {
    interrupting = rc.interrupt(String(interrupt?.reason ?? 'SIGINT'));
  };
  if (interrupt?.aborted) onAbort();
  interrupt?.addEventListener('abort', onAbort, { once: true });
  try {
    for (const play of playbook.plays) {
      if (rc.stopped !== undefined) break;
      await runPlay(rc, play, playHosts(inventory, play.hosts, options.limit), startAt);
    }
  } finally {
    interrupt?.removeEventListener('abort', onAbort);
    await interrupting;
    await Promise.allSettled([...rc.hosts.values()].map((h) => h.close()));
  }

  // Play hosts only: a delegate_to target outside the plays has no recap line of its own.
  const played = [...rc.hosts.values()].filter((h) => allHosts.includes(h.name));
  const hosts = Object.fromEntries(played.map((h) => [h.name, { ...h.counts }]));
  const interrupted = rc.interrupted?.hosts.filter((h) => allHosts.includes(h)) ?? [];
  const failedHosts = played.filter((h) => h.failed || h.unreachable || interrupted.includes(h.name)).map((h) => h.name);
  let retryFile: string | undefined;
  if (failedHosts.length > 0 && options.retryFile) {
    writeFileSync(options.retryFile, rc.mask(`${failedHosts.join('\n')}\n`));
    retryFile = options.retryFile;
  }
  rc.emit({
    type: 'recap',
    hosts,
    duration_ms: Date.now() - started,
    ...(retryFile ? { retry_file: retryFile } : {}),
    ...(rc.interrupted ? { interrupted: { signal: rc.interrupted.signal, hosts: interrupted } } : {}),
  });
  const anyFailed = played.some((h) => h.failed);
  const anyUnreachable = played.some((h) => h.unreachable);
  const exitCode = rc.interrupted
    ? ExitCode.interrupted
    : anyFailed
      ? ExitCode.taskFailed
      : anyUnreachable
        ? ExitCode.unreachable
        : ExitCode.ok;
  return { hosts, exitCode, ...(retryFile ? { retryFile } : {}) };
}
