// Runs one play: serial batches, fact gathering, tasks with the linear or free strategy (hosts in
// parallel up to --forks), run_once, then notified handlers in definition order.

import type { Handler, Play } from '../core/playbook/types.js';
import { renderValue } from '../core/template.js';
import { serialBatches } from './batches.js';
import { factGatheringTask } from './gather-facts.js';
import type { HostState } from './host-state.js';
import { restorePendingHandlers, savePendingHandlers } from './pending-handlers.js';
import { forEachLimited } from './pool.js';
import type { RunContext } from './run-context.js';
import { TaskExecutor } from './task-executor.js';
import { StepRunner } from './step-runner.js';
import { taskStartEvent } from './task-start.js';
import { matchesTaskName } from './task-filter.js';

export interface StartAt {
  /** Task name to start at; cleared once found. */
  pending?: string;
}

/** meta end_play: set by a host's request, read between batches. */
interface PlayEnd {
  requested: boolean;
}

export async function runPlay(rc: RunContext, play: Play, hostNames: string[], startAt: StartAt): Promise<void> {
  const batches = serialBatches(hostNames, renderSerial(rc, play));
  if (batches.length === 0) {
    rc.emit({ type: 'play_start', play: play.name, hosts: [] });
    rc.emit({ type: 'warning', message: `play '${play.name}': no hosts matched '${play.hosts}'` });
    rc.emit({ type: 'play_end', play: play.name });
    return;
  }
  // Every batch (and, with strategy free, every host) starts at --start-at-task; once a play has it,
  // the later plays run whole.
  const startTask = startAt.pending;
  // meta end_host/end_batch/end_play end this play only.
  for (const name of hostNames) rc.hostState(name).ended = false;
  const playEnd: PlayEnd = { requested: false };
  for (const [index, batch] of batches.entries()) {
    if (playEnd.requested || rc.stopped !== undefined) break;
    const hosts = batch.map((h) => rc.hostState(h)).filter((h) => h.active);
    rc.emit({
      type: 'play_start',
      play: play.name,
      hosts: hosts.map((h) => h.name),
      ...(batches.length > 1 ? { batch: { index, count: batches.length } } : {}),
    });
    await runBatch(rc, play, hosts, startTask, playEnd);
    rc.emit({ type: 'play_end', play: play.name });
    // As Ansible does: when every host of a serial batch failed, the later batches (and plays) do not
    // run, so a rolling change that breaks its first hosts leaves the others as they were.
    const rest = batches.slice(index + 1).flat();
    if (rest.length > 0 && hosts.length > 0 && hosts.every((h) => h.failed || h.unreachable)) {
      rc.stopped = `play '${play.name}': every host of batch ${index + 1}/${batches.length} failed; not run: ${rest.join(', ')}`;
      rc.emit({ type: 'warning', message: `${rc.stopped}` });
      break;
    }
  }
  if (startTask !== undefined && play.tasks.some((t) => matchesTaskName(t, startTask))) startAt.pending = undefined;
}

async function runBatch(rc: RunContext, play: Play, hosts: HostState[], startTask: string | undefined, playEnd: PlayEnd): Promise<void> {
  const playHosts = hosts.map((h) => h.name);
  const executor = new TaskExecutor(rc, play, playHosts);
  if (play.gatherFacts && hosts.length > 0) await gatherFacts(rc, play, hosts, executor);

  const walker = (freeHost?: HostState): StepRunner =>
    new StepRunner({
      rc,
      play,
      executor,
      batch: hosts,
      playHosts,
      ...(startTask !== undefined ? { startTask } : {}),
      ...(freeHost ? { freeHost } : {}),
      flushHandlers: (flushed) => runHandlers(rc, play, flushed, executor),
      endPlay: () => (playEnd.requested = true),
    });
  const runnable = (): HostState[] => hosts.filter((h) => h.active);
  try {
    if (play.strategy === 'free') {
      await forEachLimited(runnable(), rc.options.forks, async (host) => {
        await walker(host).runSteps(play.body, [host]);
      });
    } else {
      await walker().runSteps(play.body, runnable());
    }
  } finally {
    await runHandlers(rc, play, hosts, executor);
  }
}

/** `serial` may be a template over the play vars and extra vars (there is no host yet), even a list. */
function renderSerial(rc: RunContext, play: Play): (number | string)[] | undefined {
  if (!play.serial) return undefined;
  const vars = { ...play.vars, ...rc.options.extraVars };
  return play.serial.flatMap((s) => {
    if (typeof s !== 'string' || !s.includes('<%')) return [s];
    const value = renderValue(s, vars, play.location);
    return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'number' ? v : String(v)));
  });
}

/**
 * Fact gathering is an ordinary step: every host in parallel, through the executor. As Ansible's
 * `gathering = smart` with its in-memory cache: a host whose facts an earlier play of this run gathered
 * keeps them (no step, no result); when every host has them, the step is not shown at all.
 */
async function gatherFacts(rc: RunContext, play: Play, batch: HostState[], executor: TaskExecutor): Promise<void> {
  const hosts = batch.filter((h) => !h.factsGathered);
  if (hosts.length === 0) return;
  const task = factGatheringTask(play);
  rc.emit(taskStartEvent(play, task, hosts.map((h) => h.name), false));
  await forEachLimited(hosts, rc.options.forks, async (host) => {
    const result = await executor.run(task, host, false);
    if (result.status === 'ok') host.factsGathered = true;
  });
  rc.emit({ type: 'task_end', play: play.name, task: task.name });
}

/** Handlers run once, in definition order, on the hosts that notified them; a handler may notify a later one. */
async function runHandlers(rc: RunContext, play: Play, hosts: HostState[], executor: TaskExecutor): Promise<void> {
  // A host whose play was ended (meta end_host/end_play) runs no handlers, as in Ansible; after an
  // interrupt no handler starts: the notifications stay pending.
  const eligible = (h: HostState): boolean =>
    !rc.interrupted && !h.unreachable && !h.ended && (!h.failed || rc.options.forceHandlers);
  // Notifications an earlier run could not run (pending-handlers.ts), and what runs without failing.
  if (!rc.interrupted) await restorePendingHandlers(play, hosts.filter(eligible));
  const ran = new Map(hosts.map((h) => [h, new Set<string>()]));
  for (let pass = 0; pass < play.handlers.length + 1; pass++) {
    let ranAny = false;
    for (const handler of play.handlers) {
      const notifiedHosts = hosts.filter((h) => eligible(h) && isNotified(h, handler));
      if (notifiedHosts.length === 0) continue;
      ranAny = true;
      for (const h of notifiedHosts) for (const n of handler.listen) h.notified.delete(n);
      rc.emit(taskStartEvent(play, handler, notifiedHosts.map((h) => h.name), true));
      // A host that failed before its handlers ran (with --force-handlers) still gets them.
      await forEachLimited(notifiedHosts, rc.options.forks, async (host) => {
        const wasFailed = host.failed;
        host.failed = false;
        const result = await executor.run(handler, host, true);
        if (result.status !== 'failed') for (const n of handler.listen) ran.get(host)?.add(n);
        host.failed ||= wasFailed;
      });
      rc.emit({ type: 'task_end', play: play.name, task: handler.name });
    }
    if (!ranAny) break;
  }
  for (const host of hosts) {
    const pending = play.handlers.filter((h) => isNotified(host, h)).map((h) => h.name);
    const notRun = [...host.notified];
    if (pending.length > 0) {
      rc.emit({
        type: 'warning',
        host: host.name,
        message: `handlers notified on ${host.name} did not run because ${rc.interrupted ? 'the run was interrupted' : `the host ${host.unreachable ? 'became unreachable' : host.ended ? 'ended the play (meta)' : 'failed'}`}: ${pending.join(', ')}. They are recorded on the host and run at the end of the next run of this play (or rerun with --force-handlers).`,
      });
      host.notified.clear();
    }
    await savePendingHandlers(rc, play, host, notRun, ran.get(host) ?? new Set());
  }
}

function isNotified(host: HostState, handler: Handler): boolean {
  return handler.listen.some((n) => host.notified.has(n));
}
