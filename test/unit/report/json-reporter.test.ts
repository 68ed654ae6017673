import { describe, expect, test } from 'vitest';
import { createReporter } from '../../../src/report/index.js';
import { collector, emitted, result, scriptedRun, SECRET } from './events-fixture.js';

async function runJson(events = scriptedRun(), secrets: string[] = [SECRET]) {
  const out = await collector();
  const err = await collector();
  const reporter = await createReporter({ mode: 'json', verbose: 0, diff: true, color: true, out: out.stream, err: err.stream });
  for (const e of emitted(events, secrets)) reporter.handle(e);
  await reporter.finish();
  return { out: out.text(), err: err.text() };
}

describe('JSON reporter', () => {
  test('one JSON object a line, each with a type, and nothing else on stdout', async () => {
    const { out, err } = await runJson();
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(scriptedRun().length);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(typeof parsed.type).toBe('string');
    }
    expect(out).not.toMatch(/\u001b\[/); // no colour in JSON even with color: true
    expect(err).toBe('');
  });

  test('result lines carry host, task, status, duration_ms, round_trips and item/msg/diff when present', async () => {
    const { out } = await runJson();
    const results = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'result');
    expect(results).toHaveLength(scriptedRun().filter((e) => e.type === 'result').length);
    for (const r of results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['host', 'task', 'status', 'duration_ms', 'round_trips']));
      expect(['ok', 'changed', 'failed', 'skipped', 'unreachable']).toContain(r.status);
    }
    expect(results[0]).toMatchObject({ host: 'web01', task: 'Install packages', status: 'changed', item: 'nginx', duration_ms: 120, round_trips: 1 });
    expect(results.find((r) => r.host === 'lb01')).toMatchObject({ status: 'unreachable', msg: 'connect ECONNREFUSED 10.0.3.10:22' });
    expect(results.find((r) => r.task === 'Write config' && r.host === 'web01')?.diff).toEqual([
      { path: '/etc/app.conf', before: 'a=1\nb=2\n', after: 'a=1\nb=3\npassword=********\n' },
    ]);
  });

  test('the last line is the recap with per-host counts', async () => {
    const { out } = await runJson();
    const last = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toEqual({
      type: 'recap',
      duration_ms: 4210,
      retry_file: 'site.retry',
      hosts: {
        web01: { ok: 3, changed: 3, failed: 0, skipped: 1, unreachable: 0, ignored: 0 },
        web02: { ok: 2, changed: 0, failed: 1, skipped: 0, unreachable: 0, ignored: 1 },
        lb01: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 1, ignored: 0 },
      },
    });
  });

  test('a warning that arrives after the recap is still written before it', async () => {
    const events = scriptedRun();
    events.push({ type: 'warning', message: 'late' });
    const lines = (await runJson(events)).out.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-1)?.type).toBe('recap');
    expect(lines.at(-2)).toEqual({ type: 'warning', message: 'late' });
  });

  test('secrets, masked before serialising, are masked in every field, even ones JSON would escape', async () => {
    const tricky = 'pa"ss\\word';
    const events = [result({ host: 'web01', task: `use ${tricky}`, status: 'ok', msg: `token ${SECRET}`, stdout: `${tricky}\n` })];
    const { out } = await runJson(events, [SECRET, tricky]);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(JSON.stringify(tricky).slice(1, -1));
    expect(JSON.parse(out)).toMatchObject({ task: 'use ********', msg: 'token ********', stdout: '********\n' });
  });
});
