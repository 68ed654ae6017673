// Runs the built CLI as a user would, and parses its --json lines.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RunEvent, HostCounts } from '../../../src/engine/events.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = `${repoRoot}bin/provision.js`;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

export function provision(args: string[], options: { input?: string } = {}): CliRun {
  const res = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr, events: parseEvents(args, res.stdout) };
}

/** `provision` without blocking the event loop (for runs made while load is being sent). */
export function provisionAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 15 * 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, events: parseEvents(args, stdout) }));
    child.stdin.end();
  });
}

function parseEvents(args: string[], stdout: string): RunEvent[] {
  return args.includes('--json')
    ? stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as RunEvent)
    : [];
}

export type ResultEvent = Extract<RunEvent, { type: 'result' }>;

/** Result lines of one host, loop items excluded (one per task). */
export function taskResults(run: CliRun, host: string): ResultEvent[] {
  return run.events.filter((e): e is ResultEvent => e.type === 'result' && e.host === host && e.item === undefined);
}

export function changedTasks(run: CliRun, host: string): string[] {
  return taskResults(run, host)
    .filter((r) => r.status === 'changed')
    .map((r) => r.task);
}

export function recap(run: CliRun): Record<string, HostCounts> {
  const last = run.events.at(-1);
  if (!last || last.type !== 'recap') throw new Error(`no recap line; stderr: ${run.stderr}`);
  return last.hosts;
}
