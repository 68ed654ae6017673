// A scripted run shared by the reporter tests: two plays' worth of events as the engine emits them.

import { Secrets } from '../../../src/core/mask.js';
import type { RunEvent } from '../../../src/engine/events.js';

type Result = Extract<RunEvent, { type: 'result' }>;

export function result(partial: Partial<Result> & Pick<Result, 'host' | 'task' | 'status'>): Result {
  return { type: 'result', duration_ms: 120, round_trips: 1, handler: false, check: false, ...partial };
}

export const SECRET = 's3cr3t-Pa55';

/** The events as a run hands them to reporters: through the run's one mask (RunContext.emit), which knows these secrets. */
export function emitted<E extends RunEvent>(events: E[], secrets: string[] = [SECRET]): E[] {
  const known = new Secrets();
  for (const s of secrets) known.add(s);
  return events.map((e) => known.maskDeep(e));
}

export function scriptedRun(): RunEvent[] {
  return [
    { type: 'run_start', playbook: 'site.yaml', check: true, diff: true, hosts: ['web01', 'web02', 'lb01'] },
    { type: 'play_start', play: 'web servers', hosts: ['web01', 'web02', 'lb01'] },
    { type: 'task_start', play: 'web servers', task: 'Install packages', hosts: ['web01', 'web02', 'lb01'], handler: false, location: 'site.yaml:5:7' },
    result({ host: 'web01', task: 'Install packages', status: 'changed', item: 'nginx' }),
    result({ host: 'web01', task: 'Install packages', status: 'ok', item: 'curl' }),
    result({ host: 'web01', task: 'Install packages', status: 'changed', duration_ms: 2300, round_trips: 3 }),
    result({ host: 'web02', task: 'Install packages', status: 'ok', commands: ['dpkg-query -W nginx'], stdout: 'nginx 1.22.1\n' }),
    result({ host: 'lb01', task: 'Install packages', status: 'unreachable', msg: 'connect ECONNREFUSED 10.0.3.10:22', round_trips: 0 }),
    { type: 'task_end', play: 'web servers', task: 'Install packages' },
    { type: 'task_start', play: 'web servers', task: 'Write config', hosts: ['web01', 'web02'], handler: false, location: 'site.yaml:9:7' },
    result({
      host: 'web01',
      task: 'Write config',
      status: 'changed',
      diff: [{ path: '/etc/app.conf', before: 'a=1\nb=2\n', after: `a=1\nb=3\npassword=${SECRET}\n` }],
    }),
    result({ host: 'web02', task: 'Write config', status: 'failed', msg: `validation failed for ${SECRET}`, ignored: true }),
    { type: 'task_end', play: 'web servers', task: 'Write config' },
    { type: 'warning', host: 'web02', message: 'deprecated option' },
    { type: 'task_start', play: 'web servers', task: 'Optional step', hosts: ['web01', 'web02'], handler: false, location: 'site.yaml:14:7' },
    result({ host: 'web01', task: 'Optional step', status: 'skipped' }),
    result({ host: 'web02', task: 'Optional step', status: 'failed', msg: 'exit code 2' }),
    { type: 'task_end', play: 'web servers', task: 'Optional step' },
    { type: 'task_start', play: 'web servers', task: 'Restart app', hosts: ['web01'], handler: true, location: 'roles/app/handlers/main.yaml:1:3' },
    result({ host: 'web01', task: 'Restart app', status: 'changed', handler: true }),
    { type: 'task_end', play: 'web servers', task: 'Restart app' },
    { type: 'play_end', play: 'web servers' },
    {
      type: 'recap',
      duration_ms: 4210,
      retry_file: 'site.retry',
      hosts: {
        web01: { ok: 3, changed: 3, failed: 0, skipped: 1, unreachable: 0, ignored: 0 },
        web02: { ok: 2, changed: 0, failed: 1, skipped: 0, unreachable: 0, ignored: 1 },
        lb01: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 1, ignored: 0 },
      },
    },
  ];
}

/** A writable that collects what is written, optionally pretending to be a terminal. */
export async function collector(tty = false): Promise<{ stream: NodeJS.WritableStream; text: () => string }> {
  const { PassThrough } = await import('node:stream');
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  if (tty) Object.assign(stream, { isTTY: true, columns: 100, rows: 40 });
  return { stream, text: () => chunks.join('') };
}
