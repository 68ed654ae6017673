// Ansible-style lines for one host result, shared by the plain reporter and the TTY reporter's
// after-tree details: `changed: [web01] => (item=nginx)`, `fatal: [web01]: FAILED! => msg`.

import { INCLUDED_PREFIX, type RunEvent } from '../engine/events.js';
import { statusColor, type Palette } from './colors.js';
import { formatDuration } from './format-duration.js';
import { secretsOnlyNote, unifiedDiff } from './unified-diff.js';

export type ResultEvent = Extract<RunEvent, { type: 'result' }>;

export interface DetailOptions {
  verbose: number;
  diff: boolean;
}

/** The status line(s) of a result: the line itself, then `...ignoring` for an ignored failure. */
export function resultLines(r: ResultEvent, p: Palette, verbose: number): string[] {
  const color = statusColor(p, r.status);
  const item = r.item !== undefined ? ` (item=${r.item})` : '';
  const msg = r.msg ?? '';
  let line: string;
  switch (r.status) {
    case 'ok':
      // An include_tasks result reads as in Ansible: `included: FILE for HOST`, not `ok`.
      line = isInclusion(r) ? `${msg} for ${r.host}` : `ok: [${r.host}]${item ? ` =>${item}` : ''}`;
      break;
    case 'changed':
      line = `${r.status}: [${r.host}]${item ? ` =>${item}` : ''}`;
      break;
    case 'skipped':
      line = `skipping: [${r.host}]${item ? ` =>${item}` : ''}`;
      break;
    case 'failed':
      // Ansible: an item that fails is `failed: [h] (item=x) => ...`, the task as a whole `fatal:`.
      line = item ? `failed: [${r.host}]${item} => ${msg}` : `fatal: [${r.host}]: FAILED! => ${msg}`;
      break;
    case 'unreachable':
      line = `fatal: [${r.host}]${item}: UNREACHABLE! => ${msg}`;
      break;
  }
  const timing = verbose >= 2 ? p.dim(` (${formatDuration(r.duration_ms)}, ${plural(r.round_trips, 'round trip')})`) : '';
  const lines = [(isInclusion(r) ? p.cyan : color)(line.trimEnd()) + timing];
  if (r.status === 'failed' && r.ignored) lines.push(p.cyan('...ignoring'));
  return lines;
}

/**
 * An include_tasks result: the engine reports it `ok` with the message `included: FILE[, FILE]` and
 * nothing a module leaves (no command, no display text). Read from the event, so --json is unchanged.
 */
function isInclusion(r: ResultEvent): boolean {
  return r.status === 'ok' && r.item === undefined && r.msg?.startsWith(INCLUDED_PREFIX) === true && r.commands === undefined && r.display === undefined;
}

/** What follows a status line: commands and output with -v, unified diffs with --diff. */
export function resultDetails(r: ResultEvent, opts: DetailOptions, p: Palette): string[] {
  const lines: string[] = [];
  // debug's message is the point of the task: shown at every verbosity, as Ansible does.
  if (r.display !== undefined && opts.verbose < 1) lines.push(...r.display.split('\n').map((l) => `  ${l}`));
  if (opts.verbose >= 1) {
    if (r.msg && (r.status === 'ok' || r.status === 'changed') && !isInclusion(r)) lines.push(`  msg: ${r.msg}`);
    for (const command of r.commands ?? []) lines.push(`  command: ${command}`);
    lines.push(...block('stdout', r.stdout));
    lines.push(...block('stderr', r.stderr));
  }
  if (opts.diff) lines.push(...diffLines(r, p));
  return lines;
}

/** Unified diffs of a result's files, coloured like `diff --color`. */
export function diffLines(r: ResultEvent, p: Palette): string[] {
  const lines: string[] = [];
  for (const d of r.diff ?? []) {
    const text = unifiedDiff(d.before, d.after, d.path === undefined ? {} : { path: d.path });
    if (!text && d.only_secrets_differ) lines.push(p.bold(secretsOnlyNote(d.path)));
    if (!text) continue;
    for (const line of text.replace(/\n$/, '').split('\n')) lines.push(colorDiffLine(line, p));
  }
  return lines;
}

function colorDiffLine(line: string, p: Palette): string {
  if (line.startsWith('---') || line.startsWith('+++')) return p.bold(line);
  if (line.startsWith('@@')) return p.cyan(line);
  if (line.startsWith('+')) return p.green(line);
  if (line.startsWith('-')) return p.red(line);
  return line;
}

function block(label: string, text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  return [`  ${label}: |`, ...text.replace(/\n$/, '').split('\n').map((l) => `    ${l}`)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
