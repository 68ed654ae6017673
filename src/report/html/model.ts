// The report's data, computed from a recorded run (and the previous run of the same playbook): what
// the HTML draws, as plain values, so that it can be tested without parsing HTML.

import type { HostCounts, TaskStatus } from '../../engine/events.js';
import type { RecordedEvent, RunRecord } from '../../history/record.js';
import { secretsOnlyNote, unifiedDiff } from '../unified-diff.js';
import { compareRuns, type RunComparison } from './compare.js';

export interface ItemResult {
  label: string;
  status: TaskStatus;
  msg?: string;
}

export interface FileDiffText {
  path?: string;
  /** Unified diff (`diff -u`); empty when only the file's existence changed. */
  text: string;
}

export interface HostTaskResult {
  host: string;
  status: TaskStatus;
  ignored: boolean;
  /** From the run's start. */
  startMs: number;
  durationMs: number;
  roundTrips: number;
  msg?: string;
  /** For failures: the commands' stderr/stdout when they say more than msg (capped). */
  output?: string;
  items: ItemResult[];
  diffs: FileDiffText[];
}

const OUTPUT_CAP = 4000;

function failureOutput(e: { status: TaskStatus; msg?: string; stdout?: string; stderr?: string }): string | undefined {
  if (e.status !== 'failed') return undefined;
  const text = [e.stderr, e.stdout].map((s) => s?.trim()).filter((s): s is string => !!s && s !== e.msg?.trim()).join('\n');
  if (!text) return undefined;
  return text.length > OUTPUT_CAP ? `${text.slice(0, OUTPUT_CAP)}\n… (${text.length - OUTPUT_CAP} more characters)` : text;
}

export interface TaskReport {
  id: string;
  play: string;
  name: string;
  handler: boolean;
  location: string;
  results: HostTaskResult[];
  roundTrips: number;
  /** The slowest host's time on this task. */
  durationMs: number;
}

export interface PlayReport {
  name: string;
  tasks: TaskReport[];
}

export interface HostReport {
  name: string;
  counts: HostCounts;
  /** Sum of the host's task durations. */
  busyMs: number;
  /** When the host's last task ended, from the run's start. */
  endMs: number;
  /** The worst status the host had: unreachable > failed > changed > ok. */
  status: 'ok' | 'changed' | 'failed' | 'unreachable';
}

export interface RunInfo {
  id: string;
  playbook: string;
  command: string[];
  user: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  exitCode: number;
  check: boolean;
  diff: boolean;
  inventory?: string;
  limit?: string;
  gitCommit?: string;
}

export interface ReportModel {
  run: RunInfo;
  hosts: HostReport[];
  plays: PlayReport[];
  tasks: TaskReport[];
  failures: { task: TaskReport; result: HostTaskResult }[];
  /** Changed results, those of one task with the same diffs grouped (30 hosts, one config change: one block). */
  changes: { task: TaskReport; results: HostTaskResult[] }[];
  warnings: { host?: string; message: string }[];
  comparison?: RunComparison;
}

const ZERO: HostCounts = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };

export function buildReportModel(record: RunRecord, previous?: RunRecord): ReportModel {
  const tasks = collectTasks(record.events, record.header.cwd);
  const start = record.events.find((e) => e.type === 'run_start');
  const recap = [...record.events].reverse().find((e) => e.type === 'recap');
  const hostNames = start?.type === 'run_start' ? [...start.hosts] : [];
  for (const t of tasks) for (const r of t.results) if (!hostNames.includes(r.host)) hostNames.push(r.host);
  const recapCounts = recap?.type === 'recap' ? recap.hosts : {};
  const hosts = hostNames.map((name): HostReport => {
    const results = tasks.flatMap((t) => t.results.filter((r) => r.host === name));
    const counts = recapCounts[name] ?? countResults(results);
    return {
      name,
      counts,
      busyMs: results.reduce((n, r) => n + r.durationMs, 0),
      endMs: results.reduce((n, r) => Math.max(n, r.startMs + r.durationMs), 0),
      status: counts.unreachable > 0 ? 'unreachable' : counts.failed > 0 ? 'failed' : counts.changed > 0 ? 'changed' : 'ok',
    };
  });
  const plays: PlayReport[] = [];
  for (const task of tasks) {
    const play = plays.at(-1)?.name === task.play ? plays.at(-1) : undefined;
    if (play) play.tasks.push(task);
    else plays.push({ name: task.play, tasks: [task] });
  }
  const h = record.header;
  const model: ReportModel = {
    run: {
      id: h.id,
      playbook: h.playbook,
      command: h.command,
      user: h.user,
      startedAt: h.started_at,
      endedAt: record.footer.ended_at,
      durationMs: record.footer.duration_ms,
      exitCode: record.footer.exit_code,
      check: h.check,
      diff: start?.type === 'run_start' ? start.diff : false,
      ...(h.inventory ? { inventory: h.inventory } : {}),
      ...(h.limit ? { limit: h.limit } : {}),
      ...(h.git_commit ? { gitCommit: h.git_commit } : {}),
    },
    hosts,
    plays,
    tasks,
    failures: tasks.flatMap((task) => task.results.filter((r) => r.status === 'failed' || r.status === 'unreachable').map((result) => ({ task, result }))),
    changes: tasks.flatMap((task) => groupByDiff(task.results.filter((r) => r.status === 'changed')).map((results) => ({ task, results }))),
    warnings: record.events.flatMap((e) => (e.type === 'warning' ? [{ ...(e.host ? { host: e.host } : {}), message: e.message }] : [])),
  };
  if (previous) model.comparison = compareRuns(model, buildReportModel(previous));
  return model;
}

function groupByDiff(results: HostTaskResult[]): HostTaskResult[][] {
  const groups = new Map<string, HostTaskResult[]>();
  for (const r of results) {
    const key = JSON.stringify([r.diffs, r.items.map((i) => [i.label, i.status])]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

function countResults(results: HostTaskResult[]): HostCounts {
  const counts = { ...ZERO };
  for (const r of results) {
    if (r.status === 'failed' && r.ignored) {
      counts.ignored++;
      counts.ok++;
    } else counts[r.status]++;
  }
  return counts;
}

/**
 * Tasks in the order they started, each with one result per host. A task that starts again (another
 * serial batch, or each host under the free strategy) is the same task: same play, location and kind.
 */
function collectTasks(events: readonly RecordedEvent[], cwd: string): TaskReport[] {
  // Locations relative to where the run was started: shorter, and what the user typed.
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  const relative = (location: string): string => (location.startsWith(prefix) ? location.slice(prefix.length) : location);
  const byId = new Map<string, TaskReport>();
  /** Results name their task, not its location: the latest started task of that name is theirs. */
  const openByName = new Map<string, TaskReport>();
  const pendingItems = new Map<string, ItemResult[]>();
  let currentPlay = '';
  const taskFor = (name: string, handler: boolean): TaskReport => {
    const open = openByName.get(name);
    if (open) return open;
    // A result without a task_start (not emitted today): keep it rather than lose it.
    const task: TaskReport = { id: `t${byId.size}`, play: currentPlay, name, handler, location: '', results: [], roundTrips: 0, durationMs: 0 };
    byId.set(`${currentPlay}\0${name}\0orphan`, task);
    openByName.set(name, task);
    return task;
  };
  for (const e of events) {
    if (e.type === 'play_start') currentPlay = e.play;
    else if (e.type === 'task_start') {
      const key = `${e.play}\0${e.location}\0${e.handler}\0${e.task}`;
      let task = byId.get(key);
      if (!task) {
        task = { id: `t${byId.size}`, play: e.play, name: e.task, handler: e.handler, location: relative(e.location), results: [], roundTrips: 0, durationMs: 0 };
        byId.set(key, task);
      }
      openByName.set(e.task, task);
    } else if (e.type === 'result') {
      const task = taskFor(e.task, e.handler);
      const itemKey = `${task.id}\0${e.host}`;
      if (e.item !== undefined) {
        const items = pendingItems.get(itemKey) ?? [];
        items.push({ label: e.item, status: e.status, ...(e.msg ? { msg: e.msg } : {}) });
        pendingItems.set(itemKey, items);
        continue;
      }
      const result: HostTaskResult = {
        host: e.host,
        status: e.status,
        ignored: e.ignored === true,
        startMs: Math.max(0, e.at_ms - e.duration_ms),
        durationMs: e.duration_ms,
        roundTrips: e.round_trips,
        ...(e.msg ? { msg: e.msg } : {}),
        ...(failureOutput(e) ? { output: failureOutput(e) as string } : {}),
        items: pendingItems.get(itemKey) ?? [],
        diffs: (e.diff ?? []).map((d) => ({ ...(d.path ? { path: d.path } : {}), text: unifiedDiff(d.before, d.after, d.path ? { path: d.path } : {}) || (d.only_secrets_differ ? secretsOnlyNote(d.path) : '') })),
      };
      pendingItems.delete(itemKey);
      task.results.push(result);
      task.roundTrips += result.roundTrips;
      task.durationMs = Math.max(task.durationMs, result.durationMs);
    }
  }
  // A task that started on no host (every host had dropped out) has nothing to show.
  return [...byId.values()].filter((t) => t.results.length > 0);
}
