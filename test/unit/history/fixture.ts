// Recorded runs for the history and report tests, built by hand from the engine's event shapes.

import type { RunEvent } from '../../../src/engine/events.js';
import type { RecordedEvent, RunHeader, RunRecord } from '../../../src/history/record.js';

export function header(partial: Partial<RunHeader> & Pick<RunHeader, 'id' | 'started_at'>): RunHeader {
  return {
    type: 'history_start',
    format: 1,
    command: ['run', 'site.yaml', '-i', 'inventory.yaml'],
    cwd: '/project',
    playbook: '/project/site.yaml',
    check: false,
    user: 'alice',
    ...partial,
  };
}

/** Events stamped 100 ms apart (at_ms), as the recorder would. */
export function stamped(events: RunEvent[]): RecordedEvent[] {
  return events.map((e, i) => ({ ...e, at_ms: (i + 1) * 100 }) as RecordedEvent);
}

export function record(h: RunHeader, events: RunEvent[], exitCode = 0): RunRecord {
  const evs = stamped(events);
  return { header: h, events: evs, footer: { type: 'history_end', ended_at: h.started_at, duration_ms: (evs.length + 1) * 100, exit_code: exitCode } };
}

export function toJsonl(r: RunRecord): string {
  return [r.header, ...r.events, r.footer].map((o) => JSON.stringify(o)).join('\n') + '\n';
}
