// Broken history files (a run killed while writing, a run killed between events, garbage, a file of
// another format) are reported with a reason and skipped; the whole runs around them still list.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunText, readHistory } from '../../../src/history/read-history.js';
import { scriptedRun } from '../report/events-fixture.js';
import { header, record, toJsonl } from './fixture.js';

const whole = toJsonl(record(header({ id: '2024-05-01T10-00-00-000Z-site-1', started_at: '2024-05-01T10:00:00.000Z' }), scriptedRun(), 2));

describe('parseRunText', () => {
  it('reads a whole run', () => {
    const parsed = parseRunText(whole, 'x.jsonl');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.record.events).toHaveLength(scriptedRun().length);
      expect(parsed.record.footer.exit_code).toBe(2);
    }
  });

  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty file/],
    ['cut in the middle of its last line', whole.slice(0, whole.length - 40), /line \d+ is cut short/],
    ['cut after a whole line (no end record)', whole.split('\n').slice(0, 6).join('\n') + '\n', /no end record/],
    ['garbage in the middle', whole.replace('"type":"task_end"', '"type":"task_end"}}}'), /line \d+ is not valid JSON/],
    ['a JSON line that is not a record', whole.replace(/\n\{"type":"play_end"[^\n]*\n/, '\n[1,2,3]\n'), /not a history record/],
    ['not a history file', '{"type":"run_start","playbook":"x"}\n', /line 1 is not a history header/],
    ['another format', whole.replace('"format":1', '"format":9'), /history format 9/],
    ['an event without its time', whole.replace(/,"at_ms":\d+/, ''), /line 2 is not a run event/],
    ['only a header', whole.split('\n')[0] + '\n', /no end record/],
  ];
  for (const [what, text, reason] of cases) {
    it(`reports ${what}`, () => {
      const parsed = parseRunText(text, 'x.jsonl');
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(reason);
    });
  }
});

describe('readHistory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'provision-history-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const second = record(header({ id: '2024-05-02T10-00-00-000Z-site-1', started_at: '2024-05-02T10:00:00.000Z' }), scriptedRun());
    writeFileSync(join(dir, 'a', '2024-05-02T10-00-00-000Z-site-1.jsonl'), toJsonl(second));
    writeFileSync(join(dir, 'b', '2024-05-01T10-00-00-000Z-site-1.jsonl'), whole);
    writeFileSync(join(dir, 'a', '2024-05-03T10-00-00-000Z-site-1.jsonl'), whole.slice(0, 300));
    writeFileSync(join(dir, 'a', 'notes.txt'), 'not a run');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the whole runs of several folders oldest first and names the broken file', () => {
    const { runs, bad } = readHistory([join(dir, 'a'), join(dir, 'b'), join(dir, 'missing')]);
    expect(runs.map((r) => r.header.id)).toEqual(['2024-05-01T10-00-00-000Z-site-1', '2024-05-02T10-00-00-000Z-site-1']);
    expect(bad).toEqual([{ file: join(dir, 'a', '2024-05-03T10-00-00-000Z-site-1.jsonl'), problem: expect.stringMatching(/line 2 is cut short/) }]);
  });
});
