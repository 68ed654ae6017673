// The HTML report is one self-contained page: no resource from anywhere (no src/href/url(), a CSP
// that forbids requests), everything from the run escaped, no secret, and what a reader looks for.

import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { RunRecorder } from '../../../src/history/recorder.js';
import { buildReportModel } from '../../../src/report/html/model.js';
import { renderReport } from '../../../src/report/html/render.js';
import { createMasker, maskDeep } from '../../../src/core/mask.js';
import { header, record } from '../history/fixture.js';
import { scriptedRun, SECRET } from './events-fixture.js';

/** A run recorded the way the CLI records it: events masked as the run masks them, then the recorder. */
function recordedHtml(events: RunEvent[]): string {
  const mask = createMasker([SECRET]);
  const rec = new RunRecorder({
    playbook: '/project/site.yaml',
    playbookDir: '/nonexistent-project',
    command: ['run', 'site.yaml', '-e', `api_token=${SECRET}`],
    check: false,
    mask,
    keep: 5,
    warn: () => undefined,
  });
  for (const e of events) rec.record(maskDeep(e, mask));
  return renderReport(buildReportModel(rec.finish(2)));
}

const html = recordedHtml(scriptedRun());

const between = (text: string, open: string, close: string): string => {
  const start = text.indexOf(open);
  expect(start, `${open} in the page`).toBeGreaterThanOrEqual(0);
  return text.slice(start + open.length, text.indexOf(close, start));
};

describe('renderReport', () => {
  it('loads nothing from anywhere: no resource attribute, no CSS url or import, and a CSP that forbids it', () => {
    expect(html).not.toMatch(/\s(src|href|srcset|action|poster|data|formaction|background)\s*=/i);
    expect(html).not.toMatch(/<(link|iframe|object|embed|base|img|audio|video|source|frame)\b/i);
    const style = between(html, '<style>', '</style>');
    const script = between(html, '<script>', '</script>');
    for (const code of [style, script]) {
      expect(code).not.toMatch(/https?:|\/\/|url\(|@import|fetch\(|XMLHttpRequest|WebSocket|import\(/i);
    }
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*">/);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('shows no secret: not in the command line, a diff or a message', () => {
    expect(html).not.toContain(SECRET);
    expect(html).toContain('api_token=********');
    expect(html).toContain('<span class="d-add">+password=********</span>');
    expect(html).toContain('validation failed for ********');
  });

  it('escapes everything that comes from the run', () => {
    const hostile = scriptedRun().map((e): RunEvent => (e.type === 'result' && e.task === 'Optional step' && e.host === 'web02' ? { ...e, msg: '<img src=x onerror=alert(1)></script>' } : e));
    const page = recordedHtml(hostile);
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
  });

  it('has every host in the recap, the filter and the timeline', () => {
    for (const host of ['web01', 'web02', 'lb01']) {
      expect(html).toContain(`<tr data-h="${host}"><td><span class="st st-`);
      expect(html).toContain(`<option value="${host}">${host}</option>`);
      expect(html).toMatch(new RegExp(`<div class="hostrow" data-h="${host}"`));
    }
  });

  it('draws one timeline bar per result, placed on the run axis', () => {
    const bars = html.match(/<i class="s-\w+" data-s="\w+" style="left:[\d.]+%;width:[\d.]+%"/g) ?? [];
    expect(bars).toHaveLength(8);
    // web02's Install: from 580 ms, 120 ms long, on an axis as long as the run (recorded just now,
    // so its length is the real elapsed time: at least as long as the last result's end).
    expect(html).toMatch(/title="Install packages: ok, 120ms, 1 round trips"/);
  });

  it('shows each failure with its message and each changed task with its diff', () => {
    expect(between(html, '<section id="failures"', '</section>')).toContain('exit code 2');
    expect(between(html, '<section id="failures"', '</section>')).toContain('connect ECONNREFUSED 10.0.3.10:22');
    const changes = between(html, '<section id="changes"', '</section>');
    expect(changes).toContain('<span class="d-del">-b=2</span><span class="d-add">+b=3</span>');
    expect(changes).toMatch(/Changed tasks <span class="n"><span class="shown">3<\/span> of 3/);
  });

  it('has the round trips of each task and the exit code of the run', () => {
    expect(html).toMatch(/Install packages<\/span>.*4 round trips/);
    expect(html).toContain('exit: <code>2 (tasks failed)</code>');
  });

  it('shows a change made on several hosts once, findable from each host', () => {
    const events = scriptedRun().map((e): RunEvent => (e.type === 'result' && e.task === 'Write config' && e.host === 'web02' ? { ...e, status: 'changed', msg: undefined, ignored: undefined, diff: [{ path: '/etc/app.conf', before: 'a=1\nb=2\n', after: `a=1\nb=3\npassword=${SECRET}\n` }] } : e));
    const page = recordedHtml(events);
    const changes = between(page, '<section id="changes"', '</section>');
    expect(changes.match(/<details class="change"/g)).toHaveLength(3);
    expect(changes).toContain('data-hosts=" web01 web02 "');
    expect(changes).toContain('(same change on 2 hosts)');
    expect(changes).toMatch(/Changed tasks <span class="n"><span class="shown">3<\/span> of 3 \(4 host results\)/);
  });

  it('says how to get diffs when the run had no --diff', () => {
    const noDiff = renderReport(buildReportModel(record(header({ id: 'r', started_at: '2024-01-01T00:00:00.000Z' }), scriptedRun().map((e) => (e.type === 'run_start' ? { ...e, diff: false } : e)))));
    expect(noDiff).toContain('run with --diff to record file diffs');
  });
});
