// The recorder writes a whole run (header, masked events with their time, end record) that the
// reader gets back; without a folder it writes nothing; a folder it cannot write is a warning.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunRecorder, type RecorderOptions } from '../../../src/history/recorder.js';
import { readRunFile } from '../../../src/history/read-history.js';
import { isoUtc } from '../../../src/history/utc-time.js';
import { createMasker } from '../../../src/core/mask.js';
import { scriptedRun, SECRET } from '../report/events-fixture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(partial: Partial<RecorderOptions> = {}): RecorderOptions {
  return {
    playbook: join(dir, 'site.yaml'),
    playbookDir: dir,
    command: ['run', 'site.yaml', '-e', `db_password=${SECRET}`],
    inventory: 'inventory.yaml',
    check: true,
    mask: createMasker([SECRET]),
    dir: join(dir, '.provision', 'runs'),
    keep: 50,
    warn: (m) => {
      throw new Error(`unexpected warning: ${m}`);
    },
    ...partial,
  };
}

describe('RunRecorder', () => {
  it('writes a run the reader reads back whole, in order, with when each event arrived', async () => {
    const rec = new RunRecorder(options());
    const events = scriptedRun();
    for (const e of events.slice(0, 3)) rec.record(e);
    await new Promise((r) => setTimeout(r, 30));
    for (const e of events.slice(3)) rec.record(e);
    const done = rec.finish(2);
    expect(readdirSync(join(dir, '.provision', 'runs'))).toEqual([`${rec.header.id}.jsonl`]);
    const parsed = readRunFile(done.file as string);
    if (!parsed.ok) throw new Error(parsed.problem);
    const { header, events: back, footer } = parsed.record;
    expect(header).toMatchObject({ type: 'history_start', format: 1, playbook: join(dir, 'site.yaml'), inventory: 'inventory.yaml', check: true });
    expect(header.id).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-site-\d+$/);
    expect(footer).toMatchObject({ type: 'history_end', exit_code: 2 });
    expect(back.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(back[3]!.at_ms - back[2]!.at_ms).toBeGreaterThanOrEqual(25);
    expect(footer.duration_ms).toBeGreaterThanOrEqual(back.at(-1)!.at_ms);
  });

  it('masks secrets in the command line; events are stored as the run emitted them (masked there)', () => {
    const rec = new RunRecorder(options());
    const events = scriptedRun().filter((e) => e.type !== 'result' || !JSON.stringify(e).includes(SECRET));
    for (const e of events) rec.record(e);
    const file = rec.finish(0).file as string;
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('db_password=********');
    const stored = readRunFile(file);
    expect(stored.ok && stored.record.events.map(({ at_ms: _, ...e }) => e)).toEqual(events);
  });

  it('writes the same times as Date#toISOString, without its start-up cost', () => {
    for (const t of [0, 951782400123, 1714557600000, 4102444799999]) expect(isoUtc(new Date(t))).toBe(new Date(t).toISOString());
  });

  it('a run whose events arrived without end record is what a killed run leaves', () => {
    const rec = new RunRecorder(options());
    for (const e of scriptedRun().slice(0, 5)) rec.record(e);
    // No finish(): the process died here. What is on disk is a readable beginning.
    const file = join(dir, '.provision', 'runs', `${rec.header.id}.jsonl`);
    const parsed = readRunFile(file);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(/no end record/);
    rec.finish(0);
  });

  it('records the git commit of the repository holding the playbook', () => {
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${'ab'.repeat(20)}\n`);
    const rec = new RunRecorder(options());
    expect(rec.finish(0).header.git_commit).toBe('ab'.repeat(20));
  });

  it('keeps the run in memory only when the history is off', () => {
    const rec = new RunRecorder(options({ dir: undefined }));
    for (const e of scriptedRun()) rec.record(e);
    const done = rec.finish(0);
    expect(done.file).toBeUndefined();
    expect(done.events).toHaveLength(scriptedRun().length);
    expect(existsSync(join(dir, '.provision'))).toBe(false);
  });

  it('a folder it cannot write is one warning, and the run goes on', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const warnings: string[] = [];
    const rec = new RunRecorder(options({ dir: join(blocked, 'runs'), warn: (m) => warnings.push(m) }));
    for (const e of scriptedRun()) rec.record(e);
    expect(rec.finish(0).events.length).toBe(scriptedRun().length);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/history .*blocked.*(ENOTDIR|EEXIST)/);
  });

  it('two runs started in the same millisecond by one process get two files', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2024-05-01T10:00:00.000Z'));
      const a = new RunRecorder(options()).finish(0);
      const b = new RunRecorder(options()).finish(1);
      expect(b.header.id).toBe(`${a.header.id}-2`);
      expect(readdirSync(join(dir, '.provision', 'runs')).sort()).toEqual([`${a.header.id}-2.jsonl`, `${a.header.id}.jsonl`]);
      const parsed = readRunFile(b.file as string);
      expect(parsed.ok && parsed.record.footer.exit_code).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('prunes to the newest `keep` runs when a run ends', () => {
    const runs = join(dir, '.provision', 'runs');
    mkdirSync(runs, { recursive: true });
    const old = ['2020-01-01T00-00-00-000Z-site-1.jsonl', '2020-01-02T00-00-00-000Z-site-1.jsonl', '2020-01-03T00-00-00-000Z-site-1.jsonl'];
    for (const name of old) writeFileSync(join(runs, name), '');
    const rec = new RunRecorder(options({ keep: 2 }));
    rec.finish(0);
    expect(readdirSync(runs).sort()).toEqual(['2020-01-03T00-00-00-000Z-site-1.jsonl', `${rec.header.id}.jsonl`]);
  });
});
