// One self-contained HTML page for a run: styles and script inline, and a Content-Security-Policy
// that forbids the page any request at all (no fonts, images, scripts or connections from anywhere),
// so opening a report can never reach the network.

import { formatDuration } from '../format-duration.js';
import { esc } from './escape.js';
import type { ReportModel } from './model.js';
import {
  changesSection,
  comparisonSection,
  failuresSection,
  recapSection,
  STATUSES,
  tasksSection,
  timelineSection,
  warningsSection,
} from './sections.js';
import { SCRIPT } from './script.js';
import { STYLES } from './styles.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const EXIT_MEANING: Record<number, string> = { 0: 'ok', 1: 'internal error', 2: 'tasks failed', 3: 'hosts unreachable', 4: 'invalid input', 130: 'interrupted' };

export function renderReport(model: ReportModel): string {
  const r = model.run;
  const title = `${r.command[0] ?? 'run'} ${shortName(r)}`;
  const meta = [
    ['started', r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
    ['duration', formatDuration(r.durationMs)],
    ['exit', `${r.exitCode} (${EXIT_MEANING[r.exitCode] ?? 'error'})`],
    ['user', r.user],
    ...(r.check ? [['mode', 'check (nothing changed)']] : []),
    ...(r.inventory ? [['inventory', r.inventory]] : []),
    ...(r.limit ? [['limit', r.limit]] : []),
    ...(r.gitCommit ? [['commit', r.gitCommit.slice(0, 12)]] : []),
    ['run', r.id],
  ];
  const hostOptions = model.hosts.map((h) => `<option value="${esc(h.name)}">${esc(h.name)}</option>`).join('');
  const statusBoxes = STATUSES.map((s) => `<label><input type="checkbox" data-status="${s}" checked> <span class="st st-${s}">${s}</span></label>`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>provision: ${esc(title)} (${esc(r.startedAt)})</title>
<style>${STYLES}</style></head>
<body>
<header><h1>provision ${esc(title)}</h1>
<div class="meta">${meta.map(([k, v]) => `<span>${esc(k ?? '')}: <code>${esc(v ?? '')}</code></span>`).join('')}</div>
<div class="meta"><span>command: <code>provision ${esc(r.command.join(' '))}</code></span></div></header>
<div class="controls">
<label>host <select id="f-host"><option value="">all ${model.hosts.length} hosts</option>${hostOptions}</select></label>
<span>${statusBoxes}</span>
<label>task <input id="f-text" type="search" placeholder="name contains…"></label>
<button id="f-open" type="button">expand tasks</button> <button id="f-close" type="button">collapse tasks</button> <button id="f-reset" type="button">reset filters</button>
</div>
<main>
${recapSection(model)}
${failuresSection(model)}
${changesSection(model)}
${comparisonSection(model)}
${timelineSection(model)}
${tasksSection(model)}
${warningsSection(model)}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}

function shortName(r: ReportModel['run']): string {
  if (r.command[0] === 'exec' || r.command[0] === 'role') return r.command[1] ?? r.playbook;
  return r.playbook.split('/').slice(-2).join('/');
}
