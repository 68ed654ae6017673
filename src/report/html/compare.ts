// What changed between two runs of the same playbook: per host and task (by play and task name, so
// that moving a task in its file does not count as a new task), what newly changed or failed, what
// no longer fails, and how each host's counts moved.

import type { HostCounts } from '../../engine/events.js';
import type { ReportModel } from './model.js';

export interface TaskOnHosts {
  play: string;
  task: string;
  hosts: string[];
}

export interface RunComparison {
  previousId: string;
  previousStartedAt: string;
  previousExitCode: number;
  previousDurationMs: number;
  /** Changed now, not changed then (ok, skipped, failed or absent). */
  newlyChanged: TaskOnHosts[];
  /** Failing now (ignored failures too), not failing then. */
  newlyFailing: TaskOnHosts[];
  /** Failing then, not failing now. */
  fixed: TaskOnHosts[];
  hostCounts: { host: string; before?: HostCounts; after?: HostCounts }[];
}

type Outcome = Map<string, { play: string; task: string; status: string }>;

function outcomes(model: ReportModel): Outcome {
  const out: Outcome = new Map();
  for (const t of model.tasks) {
    for (const r of t.results) {
      out.set(`${r.host}\0${t.play}\0${t.handler ? 'handler' : 'task'}\0${t.name}`, { play: t.play, task: t.name, status: r.status });
    }
  }
  return out;
}

const failing = (s: string | undefined): boolean => s === 'failed' || s === 'unreachable';

export function compareRuns(current: ReportModel, previous: ReportModel): RunComparison {
  const now = outcomes(current);
  const then = outcomes(previous);
  const newlyChanged = new Grouped();
  const newlyFailing = new Grouped();
  const fixed = new Grouped();
  for (const [key, o] of now) {
    const host = key.split('\0')[0] as string;
    const before = then.get(key)?.status;
    if (o.status === 'changed' && before !== 'changed') newlyChanged.add(o.play, o.task, host);
    if (failing(o.status) && !failing(before)) newlyFailing.add(o.play, o.task, host);
    if (!failing(o.status) && failing(before)) fixed.add(o.play, o.task, host);
  }
  for (const [key, o] of then) {
    if (!now.has(key) && failing(o.status)) fixed.add(o.play, o.task, key.split('\0')[0] as string);
  }
  const hosts = [...new Set([...current.hosts.map((h) => h.name), ...previous.hosts.map((h) => h.name)])];
  return {
    previousId: previous.run.id,
    previousStartedAt: previous.run.startedAt,
    previousExitCode: previous.run.exitCode,
    previousDurationMs: previous.run.durationMs,
    newlyChanged: newlyChanged.list(),
    newlyFailing: newlyFailing.list(),
    fixed: fixed.list(),
    hostCounts: hosts.map((host) => {
      const before = previous.hosts.find((h) => h.name === host)?.counts;
      const after = current.hosts.find((h) => h.name === host)?.counts;
      return { host, ...(before ? { before } : {}), ...(after ? { after } : {}) };
    }),
  };
}

class Grouped {
  private readonly map = new Map<string, TaskOnHosts>();
  add(play: string, task: string, host: string): void {
    const key = `${play}\0${task}`;
    const entry = this.map.get(key) ?? { play, task, hosts: [] };
    if (!entry.hosts.includes(host)) entry.hosts.push(host);
    this.map.set(key, entry);
  }
  list(): TaskOnHosts[] {
    return [...this.map.values()];
  }
}
