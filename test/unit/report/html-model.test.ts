// The report's data from a recorded run: hosts and their worst status, tasks with one result per
// host (loop items folded in), timing on the run's axis, failures, changes with diffs, round trips,
// and what changed since the previous run of the same playbook.

import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { buildReportModel } from '../../../src/report/html/model.js';
import { header, record } from '../history/fixture.js';
import { result, scriptedRun, SECRET } from './events-fixture.js';

const current = record(header({ id: 'run-2', started_at: '2024-05-02T10:00:00.000Z' }), scriptedRun(), 2);
const model = buildReportModel(current);

describe('buildReportModel', () => {
  it('lists every host of the run with its recap and worst status', () => {
    expect(model.hosts.map((h) => [h.name, h.status, h.counts.changed, h.counts.failed])).toEqual([
      ['web01', 'changed', 3, 0],
      ['web02', 'failed', 0, 1],
      ['lb01', 'unreachable', 0, 0],
    ]);
  });

  it('has one task per task_start, grouped by play, one result per host, items folded in', () => {
    expect(model.plays.map((p) => [p.name, p.tasks.map((t) => t.name)])).toEqual([['web servers', ['Install packages', 'Write config', 'Optional step', 'Restart app']]]);
    const install = model.tasks[0]!;
    expect(install.results.map((r) => `${r.host}:${r.status}`)).toEqual(['web01:changed', 'web02:ok', 'lb01:unreachable']);
    expect(install.results[0]!.items).toEqual([{ label: 'nginx', status: 'changed' }, { label: 'curl', status: 'ok' }]);
    expect(install.location).toBe('site.yaml:5:7');
    expect(model.tasks[3]).toMatchObject({ name: 'Restart app', handler: true });
  });

  it('sums round trips per task and keeps the slowest host as its duration', () => {
    expect(model.tasks.map((t) => t.roundTrips)).toEqual([4, 2, 2, 1]);
    expect(model.tasks[0]!.durationMs).toBe(2300);
  });

  it('places each result on the time axis: it ended when recorded, it started its duration before', () => {
    // Events are stamped 100 ms apart: web02's Install result is the 7th event (700 ms), 120 ms long.
    const web02 = model.tasks[0]!.results[1]!;
    expect([web02.startMs, web02.durationMs]).toEqual([580, 120]);
    // A duration longer than the time since the start is clamped to the start.
    expect(model.tasks[0]!.results[0]!.startMs).toBe(0);
    expect(model.hosts.find((h) => h.name === 'web01')?.busyMs).toBe(2300 + 120 + 120 + 120);
  });

  it('collects failures (ignored ones flagged) and changes with unified diffs', () => {
    expect(model.failures.map((f) => [f.result.host, f.task.name, f.result.status, f.result.ignored, f.result.msg])).toEqual([
      ['lb01', 'Install packages', 'unreachable', false, 'connect ECONNREFUSED 10.0.3.10:22'],
      ['web02', 'Write config', 'failed', true, `validation failed for ${SECRET}`],
      ['web02', 'Optional step', 'failed', false, 'exit code 2'],
    ]);
    expect(model.changes.map((c) => `${c.results.map((r) => r.host).join(',')}:${c.task.name}`)).toEqual(['web01:Install packages', 'web01:Write config', 'web01:Restart app']);
    expect(model.changes[1]!.results[0]!.diffs).toEqual([
      { path: '/etc/app.conf', text: `--- before: /etc/app.conf\n+++ after: /etc/app.conf\n@@ -1,2 +1,3 @@\n a=1\n-b=2\n+b=3\n+password=${SECRET}\n` },
    ]);
    expect(model.warnings).toEqual([{ host: 'web02', message: 'deprecated option' }]);
  });

  it('groups the same change on several hosts (same diff), and keeps different ones apart', () => {
    const diff = (after: string) => [{ path: '/etc/motd', before: 'hello\n', after }];
    const events: RunEvent[] = [
      { type: 'run_start', playbook: '/project/site.yaml', check: false, diff: true, hosts: ['a', 'b', 'c'] },
      { type: 'play_start', play: 'p', hosts: ['a', 'b', 'c'] },
      { type: 'task_start', play: 'p', task: 'motd', hosts: ['a', 'b', 'c'], handler: false, location: '/project/roles/base/tasks/main.yaml:3:7' },
      result({ host: 'a', task: 'motd', status: 'changed', diff: diff('hi\n') }),
      result({ host: 'b', task: 'motd', status: 'changed', diff: diff('hi from b\n') }),
      result({ host: 'c', task: 'motd', status: 'changed', diff: diff('hi\n') }),
    ];
    const m = buildReportModel(record(header({ id: 'r', started_at: '2024-05-02T10:00:00.000Z', cwd: '/project' }), events));
    expect(m.changes.map((c) => c.results.map((r) => r.host))).toEqual([['a', 'c'], ['b']]);
    // Locations are shown relative to the folder the run was started in.
    expect(m.tasks[0]!.location).toBe('roles/base/tasks/main.yaml:3:7');
  });

  it('says so for a file whose only change is a secret (both sides masked alike)', () => {
    const masked = 'password = ********\n';
    const events: RunEvent[] = [
      { type: 'run_start', playbook: '/project/site.yaml', check: false, diff: true, hosts: ['a'] },
      { type: 'play_start', play: 'p', hosts: ['a'] },
      { type: 'task_start', play: 'p', task: 'settings', hosts: ['a'], handler: false, location: '/project/site.yaml:3:7' },
      result({ host: 'a', task: 'settings', status: 'changed', diff: [{ path: '/etc/app.ini', before: masked, after: masked, only_secrets_differ: true }] }),
    ];
    const m = buildReportModel(record(header({ id: 'r', started_at: '2024-05-02T10:00:00.000Z', cwd: '/project' }), events));
    expect(m.changes[0]!.results[0]!.diffs).toEqual([{ path: '/etc/app.ini', text: '/etc/app.ini: only secret values change (masked, not shown)' }]);
  });

  it('adds the output of a failure when it says more than its message', () => {
    const events = scriptedRun().map((e): RunEvent =>
      e.type === 'result' && e.task === 'Optional step' && e.host === 'web02' ? { ...e, msg: 'exit code 2', stderr: 'no such table: users\n', stdout: 'exit code 2\n' } : e,
    );
    const failure = buildReportModel(record(header({ id: 'r', started_at: '2024-05-02T10:00:00.000Z' }), events)).failures[2]!;
    expect(failure.result.output).toBe('no such table: users');
    expect(model.failures[2]!.result.output).toBeUndefined();
  });

  it('carries the run: command, user, times, exit code, check and diff modes', () => {
    expect(model.run).toMatchObject({ id: 'run-2', user: 'alice', exitCode: 2, check: false, diff: true, command: ['run', 'site.yaml', '-i', 'inventory.yaml'] });
    expect(model.comparison).toBeUndefined();
  });
});

describe('comparison with the previous run', () => {
  /** The run before: Write config was ok on web01, Optional step ok on web02 and failing on web01. */
  const before = scriptedRun().map((e): RunEvent => {
    if (e.type !== 'result' || e.item !== undefined) return e;
    if (e.task === 'Write config' && e.host === 'web01') return { ...e, status: 'ok', diff: undefined };
    if (e.task === 'Optional step' && e.host === 'web02') return { ...e, status: 'ok', msg: undefined };
    if (e.task === 'Optional step' && e.host === 'web01') return { ...e, status: 'failed', msg: 'boom' };
    return e;
  });
  const previous = record(header({ id: 'run-1', started_at: '2024-05-01T10:00:00.000Z' }), before, 2);
  const c = buildReportModel(current, previous).comparison!;

  it('names what newly changed, newly fails and no longer fails, per task and host', () => {
    expect(c.previousId).toBe('run-1');
    expect(c.newlyChanged).toEqual([{ play: 'web servers', task: 'Write config', hosts: ['web01'] }]);
    expect(c.newlyFailing).toEqual([{ play: 'web servers', task: 'Optional step', hosts: ['web02'] }]);
    expect(c.fixed).toEqual([{ play: 'web servers', task: 'Optional step', hosts: ['web01'] }]);
  });

  it('is empty between two identical runs', () => {
    const same = buildReportModel(current, record(header({ id: 'run-0', started_at: '2024-05-01T00:00:00.000Z' }), scriptedRun(), 2)).comparison!;
    expect([same.newlyChanged, same.newlyFailing, same.fixed]).toEqual([[], [], []]);
    expect(same.hostCounts.map((h) => h.host)).toEqual(['web01', 'web02', 'lb01']);
  });
});
