// One line per run for `provision history`: when, playbook, hosts, ok/changed/failed, duration, exit.

import { relative } from 'node:path';
import type { HostCounts } from '../engine/events.js';
import { formatDuration } from '../report/format-duration.js';
import type { RunRecord } from './record.js';

export interface RunTotals {
  hosts: number;
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
}

export function runTotals(record: RunRecord): RunTotals {
  const recap = [...record.events].reverse().find((e) => e.type === 'recap');
  const counts: HostCounts[] = recap && recap.type === 'recap' ? Object.values(recap.hosts) : [];
  const sum = (f: keyof HostCounts): number => counts.reduce((n, c) => n + c[f], 0);
  const start = record.events.find((e) => e.type === 'run_start');
  return {
    hosts: start && start.type === 'run_start' ? start.hosts.length : counts.length,
    ok: sum('ok'),
    changed: sum('changed'),
    failed: sum('failed'),
    unreachable: sum('unreachable'),
  };
}

/** A name for the run's subject, relative to `cwd` when that is shorter. */
export function displayPlaybook(record: RunRecord, cwd: string): string {
  const { command, playbook } = record.header;
  if (command[0] === 'exec') return `exec ${JSON.stringify(command[1] ?? '')}`;
  if (command[0] === 'role') return `role ${command[1] ?? playbook}`;
  const rel = relative(cwd, playbook);
  return rel && !rel.startsWith('..') ? rel : playbook;
}

export function formatHistoryTable(records: readonly RunRecord[], cwd: string): string {
  const rows = records.map((r) => {
    const t = runTotals(r);
    return [
      r.header.id,
      r.header.started_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      displayPlaybook(r, cwd) + (r.header.check ? ' (check)' : ''),
      `${t.hosts}`,
      `ok=${t.ok} changed=${t.changed} failed=${t.failed}${t.unreachable ? ` unreachable=${t.unreachable}` : ''}`,
      formatDuration(r.footer.duration_ms),
      `${r.footer.exit_code}`,
    ];
  });
  const head = ['RUN', 'STARTED (UTC)', 'PLAYBOOK', 'HOSTS', 'RESULTS', 'DURATION', 'EXIT'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}
