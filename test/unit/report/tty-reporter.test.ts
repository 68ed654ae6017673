import { describe, expect, test } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { createReporter } from '../../../src/report/index.js';
import { collector, emitted, result, scriptedRun, SECRET } from './events-fixture.js';

const CURSOR_SHOW = '\u001b[?25h';
const CURSOR_HIDE = '\u001b[?25l';
const ERASE_END = '\u001b[G';

async function runTty(events: RunEvent[], options: { pause?: number; diff?: boolean; verbose?: number } = {}) {
  const out = await collector(true);
  const err = await collector();
  const reporter = await createReporter({
    mode: 'tty',
    verbose: options.verbose ?? 0,
    diff: options.diff ?? false,
    color: false,
    out: out.stream,
    err: err.stream,
  });
  for (const e of emitted(events)) {
    reporter.handle(e);
    // A pause lets the tree draw frames between events, as during a real run (one frame per 100 ms at most).
    if (options.pause) await new Promise((resolve) => setTimeout(resolve, options.pause));
  }
  await reporter.finish();
  return { out: out.text(), err: err.text() };
}

/** The last frame listr2 drew for each play: what stays on the screen. */
function finalFrames(out: string): string[] {
  return out
    .split(CURSOR_SHOW)
    .slice(0, -1)
    // A frame starts after the last erase; a tree that finished before its first timed frame
    // was drawn once, right after the cursor was hidden.
    .map((chunk) => chunk.slice(Math.max(chunk.lastIndexOf(ERASE_END) + ERASE_END.length, chunk.lastIndexOf(CURSOR_HIDE) + CURSOR_HIDE.length)).trim());
}

describe('TTY reporter', () => {
  test('renders a live listr2 tree (play → task → host) and ends with the recap', async () => {
    // Two frame periods per event: a frame falls in every pause even when timers run late on a busy machine.
    const { out, err } = await runTty(scriptedRun(), { pause: 220, diff: true });
    expect(out.startsWith('CHECK MODE')).toBe(true);
    // Live: host lines were drawn while tasks were running (spinner frames before completion).
    expect(out).toMatch(/❯ Install packages\n {4}\S+ web01/);
    expect(out).toContain('› item=');
    const [frame] = finalFrames(out);
    const lines = frame!.split('\n');
    expect(lines[0]).toMatch(/^✔ PLAY \[web servers\] (\d+ms|\d+\.\d+s)$/);
    // A task with a failure keeps its host lines; a task that went well folds them away.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}\S Install packages {2}changed=1 ok=1 unreachable=1 {2}(\d+ms|\d+\.\d+s)$/),
      expect.stringMatching(/^ {4}✔ web01 {2}changed {2}2\.30s$/),
      expect.stringMatching(/^ {4}✔ web02 {2}ok {2}120ms$/),
      expect.stringMatching(/^ {4}✖ lb01 {2}unreachable {2}120ms: connect ECONNREFUSED 10\.0\.3\.10:22$/),
      expect.stringMatching(/^ {2}✔ Write config {2}changed=1 ignored=1 {2}(\d+ms|\d+\.\d+s)$/),
      expect.stringMatching(/^ {2}\S Optional step {2}skipped=1 failed=1 {2}(\d+ms|\d+\.\d+s)$/),
      expect.stringMatching(/^ {4}↓ web01 {2}skipped {2}120ms$/),
      expect.stringMatching(/^ {4}✖ web02 {2}failed {2}120ms: exit code 2$/),
      expect.stringMatching(/^ {2}✔ handler: Restart app {2}changed=1 {2}(\d+ms|\d+\.\d+s)$/),
    ]);
    // After the tree: the diffs, then the recap as plain text, last.
    const after = out.slice(out.lastIndexOf(CURSOR_SHOW));
    expect(after).toContain('--- before: /etc/app.conf\n+++ after: /etc/app.conf\n@@ -1,2 +1,3 @@');
    expect(after.trimEnd().split('\n').slice(-7)).toEqual([
      expect.stringMatching(/^PLAY RECAP \*+$/),
      expect.stringMatching(/^lb01 +: ok=0 +changed=0 +unreachable=1/),
      expect.stringMatching(/^web01 +: ok=3 +changed=3/),
      expect.stringMatching(/^web02 +: ok=2 +changed=0 +unreachable=0 +failed=1/),
      '',
      'Duration: 4.21s',
      expect.stringContaining('site.retry'),
    ]);
    expect(err).toContain('[WARNING]: web02: deprecated option');
    expect(out + err).not.toContain(SECRET);
  });

  test('events pushed in one burst, before listr2 has run anything, still render and finish', async () => {
    const events: RunEvent[] = [
      { type: 'play_start', play: 'one', hosts: ['a', 'b'] },
      { type: 'task_start', play: 'one', task: 'first', hosts: ['a', 'b'], handler: false, location: 'p:1:1' },
      result({ host: 'a', task: 'first', status: 'ok' }),
      result({ host: 'b', task: 'first', status: 'changed' }),
      { type: 'task_end', play: 'one', task: 'first' },
      { type: 'play_end', play: 'one' },
      { type: 'play_start', play: 'two', hosts: ['a'] },
      { type: 'task_start', play: 'two', task: 'second', hosts: ['a', 'b'], handler: false, location: 'p:5:1' },
      result({ host: 'a', task: 'second', status: 'failed', msg: 'boom' }),
      // b never reports (the engine stopped it): the task still ends at task_end.
      { type: 'task_end', play: 'two', task: 'second' },
      { type: 'play_end', play: 'two' },
      { type: 'recap', duration_ms: 10, hosts: { a: { ok: 1, changed: 0, failed: 1, skipped: 0, unreachable: 0, ignored: 0 }, b: { ok: 0, changed: 1, failed: 0, skipped: 0, unreachable: 0, ignored: 0 } } },
    ];
    const { out } = await runTty(events);
    const frames = finalFrames(out);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/✔ PLAY \[one\].*\n {2}✔ first {2}changed=1 ok=1/);
    expect(frames[1]).toMatch(/PLAY \[two\]/);
    expect(frames[1]).toMatch(/✖ a {2}failed {2}120ms: boom/);
    expect(frames[1]).toMatch(/↓ b \(no result\)/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('Duration: 10ms');
  });

  test('finish() closes a run that stopped mid-task (interrupted engine) without hanging', async () => {
    const events: RunEvent[] = [
      { type: 'play_start', play: 'p', hosts: ['a'] },
      { type: 'task_start', play: 'p', task: 'never ends', hosts: ['a'], handler: false, location: 'p:1:1' },
    ];
    const { out } = await runTty(events);
    expect(finalFrames(out)[0]).toMatch(/^✔ PLAY \[p\] (\d+ms|\d+\.\d+s)\n {2}✔ never ends {2}(\d+ms|\d+\.\d+s)$/);
  });
});
