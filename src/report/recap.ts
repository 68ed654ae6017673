// The human recap, aligned like Ansible's: host names padded to one column, each count padded so
// that the same count lines up on every row.

import type { HostCounts, RunEvent } from '../engine/events.js';
import { banner } from './banner.js';
import type { Palette } from './colors.js';
import { formatDuration } from './format-duration.js';

type RecapEvent = Extract<RunEvent, { type: 'recap' }>;

/** Ansible pads host names to 26 columns; longer names widen the column for every row. */
const MIN_HOST_WIDTH = 26;
const COUNT_WIDTH = 4;

const FIELDS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

export function formatRecap(recap: RecapEvent, p: Palette): string[] {
  const names = Object.keys(recap.hosts).sort();
  const width = Math.max(MIN_HOST_WIDTH, ...names.map((n) => n.length));
  const lines = [banner('PLAY RECAP')];
  for (const name of names) {
    const counts = recap.hosts[name]!;
    const host = hostColor(p, counts)(name) + ' '.repeat(width - name.length);
    const fields = FIELDS.map((f) => {
      const count = counts[f] ?? 0;
      const text = `${f}=${count}`;
      const padded = text + ' '.repeat(Math.max(0, f.length + 1 + COUNT_WIDTH - text.length));
      return count > 0 ? fieldColor(p, f)(text) + padded.slice(text.length) : padded;
    });
    lines.push(`${host} : ${fields.join(' ')}`.trimEnd());
  }
  lines.push('');
  lines.push(`Duration: ${formatDuration(recap.duration_ms)}`);
  if (recap.interrupted) {
    const hosts = recap.interrupted.hosts;
    lines.push(`Interrupted by ${recap.interrupted.signal}${hosts.length > 0 ? `: the run did not finish on ${hosts.join(', ')}` : ''}`);
  }
  if (recap.retry_file) {
    lines.push(`Failed hosts written to ${recap.retry_file} (rerun them with --limit @${recap.retry_file})`);
  }
  return lines;
}

function hostColor(p: Palette, c: HostCounts): (text: string) => string {
  if (c.failed > 0 || c.unreachable > 0) return p.red;
  if (c.changed > 0) return p.yellow;
  return p.green;
}

function fieldColor(p: Palette, field: (typeof FIELDS)[number]): (text: string) => string {
  switch (field) {
    case 'ok':
      return p.green;
    case 'changed':
      return p.yellow;
    case 'unreachable':
    case 'failed':
      return p.red;
    case 'skipped':
      return p.cyan;
    case 'rescued':
      return p.magenta;
    case 'ignored':
      return p.magenta;
  }
}
