// The report's sections, each a function from the model to an HTML string. Filterable elements
// carry data-h (host), data-s (status) and data-n (task name, lower case) for the script.

import type { TaskStatus } from '../../engine/events.js';
import { formatDuration } from '../format-duration.js';
import { esc } from './escape.js';
import type { HostReport, HostTaskResult, ReportModel, TaskReport } from './model.js';

export const STATUSES: readonly TaskStatus[] = ['ok', 'changed', 'failed', 'skipped', 'unreachable'];

const dur = (ms: number): string => esc(formatDuration(ms));
const statusLabel = (r: HostTaskResult): string => `<span class="st st-${r.status}">${r.status}${r.ignored ? ' (ignored)' : ''}</span>`;
const hostLink = (name: string): string => `<span class="host" data-host="${esc(name)}">${esc(name)}</span>`;
const filterAttrs = (host: string, status: string, task: string): string => `data-h="${esc(host)}" data-s="${esc(status)}" data-n="${esc(task.toLowerCase())}" data-item`;

export function recapSection(model: ReportModel): string {
  const cols = ['ok', 'changed', 'failed', 'skipped', 'unreachable', 'ignored'] as const;
  const row = (h: HostReport): string =>
    `<tr data-h="${esc(h.name)}"><td><span class="st st-${h.status}">&nbsp;</span> ${hostLink(h.name)}</td>${cols
      .map((c) => `<td class="num ${h.counts[c] > 0 ? `c-${c === 'ignored' ? 'changed' : c}` : 'zero'}">${h.counts[c]}</td>`)
      .join('')}<td class="num">${dur(h.busyMs)}</td></tr>`;
  return `<section id="recap"><h2>Recap <span class="n">${model.hosts.length} hosts</span></h2>
<table><thead><tr><th>host</th>${cols.map((c) => `<th class="num">${c}</th>`).join('')}<th class="num">time in tasks</th></tr></thead>
<tbody>${model.hosts.map(row).join('\n')}</tbody></table></section>`;
}

export function comparisonSection(model: ReportModel): string {
  const c = model.comparison;
  if (!c) return `<section id="compare"><h2>Compared with the previous run</h2><p class="empty">No earlier run of this playbook in the history.</p></section>`;
  const list = (title: string, cls: string, entries: typeof c.newlyChanged): string =>
    `<div><h3 class="${cls}">${esc(title)} <span class="n">(${entries.length})</span></h3>${
      entries.length === 0
        ? '<p class="empty">none</p>'
        : `<ul class="cmp">${entries.map((e) => `<li><b>${esc(e.task)}</b> <span class="dim">${esc(e.play)}</span> on ${e.hosts.map(hostLink).join(', ')}</li>`).join('')}</ul>`
    }</div>`;
  const delta = (host: string, b?: number, a?: number): string => (b === a ? `${a ?? 0}` : `${b ?? '–'} → <b>${a ?? '–'}</b>`);
  const counts = c.hostCounts
    .map((h) => `<tr data-h="${esc(h.host)}"><td>${hostLink(h.host)}</td>${(['changed', 'failed', 'unreachable'] as const)
      .map((k) => `<td class="num">${delta(h.host, h.before?.[k], h.after?.[k])}</td>`)
      .join('')}</tr>`)
    .join('');
  return `<section id="compare"><h2>Compared with the previous run <span class="n">${esc(c.previousId)}, ${esc(c.previousStartedAt)}, exit ${c.previousExitCode}, ${dur(c.previousDurationMs)}</span></h2>
<div class="cmpgrid">${list('Newly changed', 'c-changed', c.newlyChanged)}${list('Newly failing', 'c-failed', c.newlyFailing)}${list('No longer failing', 'c-ok', c.fixed)}</div>
<table><thead><tr><th>host</th><th class="num">changed</th><th class="num">failed</th><th class="num">unreachable</th></tr></thead><tbody>${counts}</tbody></table></section>`;
}

export function failuresSection(model: ReportModel): string {
  const items = model.failures.map(
    ({ task, result }) => `<div class="failure${result.ignored ? ' ignored' : ''}" ${filterAttrs(result.host, result.status, task.name)}>
<div>${statusLabel(result)} ${hostLink(result.host)} · <b>${esc(task.name)}</b> <span class="dim">${esc(task.location)}</span></div>
<div class="msg">${esc(result.msg ?? '(no message)')}</div>${result.output ? `<pre class="out">${esc(result.output)}</pre>` : ''}${itemsList(result)}</div>`,
  );
  return group('failures', 'Failures', items, 'No task failed.');
}

export function changesSection(model: ReportModel): string {
  const count = model.changes.reduce((n, c) => n + c.results.length, 0);
  const items = model.changes.flatMap(({ task, results }) => {
    const first = results[0] as HostTaskResult;
    const body = `${first.diffs.length ? first.diffs.map(diffBlock).join('') : `<p class="dim">${model.run.diff ? 'no file diff for this task' : 'no diff recorded (run with --diff to record file diffs)'}</p>`}${itemsList(first)}`;
    const open = model.changes.length <= 30 ? ' open' : '';
    const title = (hosts: string): string =>
      `<summary>${hosts} · <b>${esc(task.name)}</b> <span class="dim">${esc(task.play)} · ${esc(task.location)}</span>${first.diffs.length ? ` <span class="dim">(${first.diffs.length} file${first.diffs.length > 1 ? 's' : ''})</span>` : ''}</summary>`;
    if (results.length === 1) return [`<details class="change" ${filterAttrs(first.host, 'changed', task.name)}${open}>${title(hostLink(first.host))}\n${body}</details>`];
    // The same change on several hosts: one block, which each host's filter shows; the host links
    // say where. (A host filter shows the block if that host is in it.)
    return [
      `<details class="change" data-hosts="${esc(` ${results.map((r) => r.host).join(' ')} `)}" data-s="changed" data-n="${esc(task.name.toLowerCase())}" data-item${open}>${title(`${results.map((r) => hostLink(r.host)).join(', ')} <span class="dim">(same change on ${results.length} hosts)</span>`)}\n${body}</details>`,
    ];
  });
  return group('changes', 'Changed tasks', items, 'Nothing changed.', count);
}

function group(id: string, title: string, items: string[], none: string, results = items.length): string {
  const of = results === items.length ? `${items.length}` : `${items.length} (${results} host results)`;
  return `<section id="${id}" data-group><h2>${esc(title)} <span class="n"><span class="shown">${items.length}</span> of ${of}</span></h2>
${items.join('\n')}<p class="empty none-shown${items.length ? ' hidden' : ''}">${items.length ? 'None with these filters.' : esc(none)}</p></section>`;
}

function diffBlock(d: { path?: string; text: string }): string {
  const lines = d.text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const cls = (l: string): string => (l.startsWith('+++') || l.startsWith('---') ? 'd-head' : l.startsWith('@@') ? 'd-hunk' : l.startsWith('+') ? 'd-add' : l.startsWith('-') ? 'd-del' : '');
  const body = lines.length ? lines.map((l) => { const c = cls(l); return c ? `<span class="${c}">${esc(l)}</span>` : `${esc(l)}\n`; }).join('') : esc(`${d.path ?? ''} (no textual difference)`);
  return `<pre class="diff">${body}</pre>`;
}

function itemsList(r: HostTaskResult): string {
  if (r.items.length === 0) return '';
  return `<div class="dim">items: ${r.items.map((i) => `<span class="c-${i.status}" title="${esc(i.msg ?? i.status)}">${esc(i.label)}</span>`).join(', ')}</div>`;
}

export function timelineSection(model: ReportModel): string {
  const total = Math.max(1, model.run.durationMs, ...model.hosts.map((h) => h.endMs));
  const pct = (ms: number): string => `${((100 * ms) / total).toFixed(2)}%`;
  const ticks = 6;
  const axis = Array.from({ length: ticks + 1 }, (_, i) => `<span style="left:${((100 * i) / ticks).toFixed(2)}%">${dur((total * i) / ticks)}</span>`).join('');
  const lane = (h: HostReport): string => {
    const bars = model.tasks
      .flatMap((t) => t.results.filter((r) => r.host === h.name).map((r) => ({ t, r })))
      .map(({ t, r }) => `<i class="s-${r.status}" data-s="${r.status}" style="left:${pct(r.startMs)};width:${pct(r.durationMs)}" title="${esc(`${t.name}: ${r.status}, ${formatDuration(r.durationMs)}, ${r.roundTrips} round trips`)}"></i>`)
      .join('');
    return `<div class="hostrow" data-h="${esc(h.name)}" style="display:contents"><div>${hostLink(h.name)}</div><div class="lane">${bars}</div><div class="dim num">${dur(h.endMs)}</div></div>`;
  };
  return `<section id="timeline"><details open><summary><h2 style="display:inline">Timeline <span class="n">tasks as bars on the run's time axis (hover for the task)</span></h2></summary>
<div class="tl"><div></div><div class="axis">${axis}</div><div></div>${model.hosts.map(lane).join('\n')}</div></details></section>`;
}

export function tasksSection(model: ReportModel): string {
  const task = (t: TaskReport): string => {
    const counts = STATUSES.map((s) => [s, t.results.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
    const worst = (['unreachable', 'failed', 'changed'] as const).find((s) => counts.some(([c]) => c === s)) ?? 'ok';
    const rows = t.results
      .map((r) => `<tr data-h="${esc(r.host)}" data-s="${r.status}"><td>${hostLink(r.host)}</td><td>${statusLabel(r)}</td><td class="num">${dur(r.durationMs)}</td><td class="num">${r.roundTrips}</td><td class="msg">${esc(r.msg ?? '')}${r.items.length ? `<br>${itemsList(r)}` : ''}</td></tr>`)
      .join('');
    return `<details class="task w-${worst}" data-n="${esc(t.name.toLowerCase())}"><summary><span class="name">${t.handler ? 'handler: ' : ''}${esc(t.name)}</span> ${counts.map(([s, n]) => `<span class="st st-${s}">${s} ${n}</span>`).join(' ')} <span class="dim">${dur(t.durationMs)} · ${t.roundTrips} round trips · ${esc(t.location)}</span></summary>
<table><thead><tr><th>host</th><th>status</th><th class="num">time</th><th class="num">round trips</th><th>message</th></tr></thead><tbody>${rows}</tbody></table></details>`;
  };
  const plays = model.plays.map((p) => `<details class="play" open><summary>${esc(p.name)} <span class="dim">${p.tasks.length} tasks</span></summary>\n${p.tasks.map(task).join('\n')}</details>`);
  return `<section id="tasks"><h2>Tasks <span class="n">${model.tasks.length}, by play; open one for each host's status, time, round trips and message</span></h2>${plays.join('\n')}</section>`;
}

export function warningsSection(model: ReportModel): string {
  if (model.warnings.length === 0) return '';
  return `<section id="warnings"><h2>Warnings <span class="n">${model.warnings.length}</span></h2><ul>${model.warnings
    .map((w) => `<li${w.host ? ` data-h="${esc(w.host)}"` : ''}>${w.host ? `${hostLink(w.host)}: ` : ''}<span class="msg">${esc(w.message)}</span></li>`)
    .join('')}</ul></section>`;
}
