// Which runs `history` and `report` read and pick: folders, RUN selectors, the previous run of the
// same subject, and the one-line summary.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyDirsToRead, previousRunOf, selectRun } from '../../../src/history/locate.js';
import { subjectOf, type RunRecord } from '../../../src/history/record.js';
import { formatHistoryTable, runTotals } from '../../../src/history/summary.js';
import { historyDirFor, historyKeep } from '../../../src/history/settings.js';
import { scriptedRun } from '../report/events-fixture.js';
import { header, record } from './fixture.js';

const site1 = record(header({ id: '2024-05-01T10-00-00-000Z-site-1', started_at: '2024-05-01T10:00:00.000Z' }), scriptedRun(), 2);
const other = record(header({ id: '2024-05-01T11-00-00-000Z-db-7', started_at: '2024-05-01T11:00:00.000Z', playbook: '/project/db.yaml', command: ['run', 'db.yaml'] }), scriptedRun());
const site2 = record(header({ id: '2024-05-02T10-00-00-000Z-site-9', started_at: '2024-05-02T10:00:00.000Z', check: true }), scriptedRun());
const runs = [site1, other, site2];

describe('selectRun', () => {
  it('defaults to the last run, takes an id or a unique beginning of one', () => {
    expect(selectRun(runs, undefined, ['d']).header.id).toBe(site2.header.id);
    expect(selectRun(runs, site1.header.id, ['d'])).toBe(site1);
    expect(selectRun(runs, '2024-05-01T11', ['d'])).toBe(other);
  });
  it('says why when the selector names no run or several', () => {
    expect(() => selectRun(runs, 'nope', ['d'])).toThrow(/no recorded run 'nope' in d/);
    expect(() => selectRun(runs, '2024-05-01', ['d'])).toThrow(/names 2 runs/);
    expect(() => selectRun([], undefined, ['/x/.provision/runs'])).toThrow(/no recorded runs in \/x\/.provision\/runs/);
  });
});

describe('previousRunOf', () => {
  const subject = (r: RunRecord) => subjectOf(r.header);
  it('is the latest earlier run of the same playbook', () => {
    expect(previousRunOf(site2, runs, subject)).toBe(site1);
    expect(previousRunOf(site1, runs, subject)).toBeUndefined();
    expect(previousRunOf(other, runs, subject)).toBeUndefined();
  });
  it('compares exec runs by their command', () => {
    const exec = (id: string, cmd: string) => record(header({ id, started_at: id, playbook: '<command line>', command: ['exec', cmd] }), []);
    const a = exec('2024-01-01', 'uptime');
    const b = exec('2024-01-02', 'df -h');
    const c = exec('2024-01-03', 'uptime');
    expect(previousRunOf(c, [a, b, c], subject)).toBe(a);
  });
});

describe('history folders', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'provision-locate-'));
    mkdirSync(join(dir, 'playbooks', '.provision', 'runs'), { recursive: true });
    mkdirSync(join(dir, 'roles'));
    writeFileSync(join(dir, 'playbooks', 'site.yaml'), '[]\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads beside a playbook, or a folder and its direct subfolders that have a history', () => {
    expect(historyDirsToRead(join(dir, 'playbooks', 'site.yaml'), undefined, {})).toEqual([join(dir, 'playbooks', '.provision', 'runs')]);
    expect(historyDirsToRead(dir, undefined, {})).toEqual([join(dir, '.provision', 'runs'), join(dir, 'playbooks', '.provision', 'runs')]);
  });
  it('--history-dir, then PROVISION_HISTORY_DIR, win', () => {
    expect(historyDirsToRead(dir, '/h', { PROVISION_HISTORY_DIR: '/e' })).toEqual(['/h']);
    expect(historyDirsToRead(dir, undefined, { PROVISION_HISTORY_DIR: '/e' })).toEqual(['/e']);
    expect(historyDirFor('/p', undefined, {})).toBe('/p/.provision/runs');
    expect(historyDirFor('/p', undefined, { PROVISION_HISTORY_DIR: '/e' })).toBe('/e');
    expect(historyDirFor('/p', '/h', { PROVISION_HISTORY_DIR: '/e' })).toBe('/h');
  });
  it('keeps 50 runs unless PROVISION_HISTORY_KEEP says otherwise', () => {
    expect(historyKeep({})).toBe(50);
    expect(historyKeep({ PROVISION_HISTORY_KEEP: '3' })).toBe(3);
    expect(() => historyKeep({ PROVISION_HISTORY_KEEP: '0' })).toThrow(/positive integer, got '0'/);
  });
});

describe('the history table', () => {
  it('sums the recap of a run', () => {
    // scriptedRun's recap: web01 ok=3 changed=3, web02 ok=2 failed=1, lb01 unreachable=1.
    expect(runTotals(site1)).toEqual({ hosts: 3, ok: 5, changed: 3, failed: 1, unreachable: 1 });
  });
  it('has a line per run: id, when, playbook, hosts, results, duration, exit', () => {
    const lines = formatHistoryTable([site1, site2], '/project').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^RUN\s+STARTED \(UTC\)\s+PLAYBOOK\s+HOSTS\s+RESULTS\s+DURATION\s+EXIT$/);
    expect(lines[1]).toMatch(/^2024-05-01T10-00-00-000Z-site-1\s+2024-05-01 10:00:00Z\s+site.yaml\s+3\s+ok=5 changed=3 failed=1 unreachable=1\s+2.\d+s\s+2$/);
    expect(lines[2]).toMatch(/site.yaml \(check\)/);
  });
});
