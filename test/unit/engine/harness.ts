// Runs real playbooks from test/fixtures/engine/ through the real engine, over local connections,
// and collects the events. Only temp dirs made here are ever written to.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatePlaybookHosts, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { loadInventory } from '../../../src/core/inventory/index.js';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import { EventBus, type RunEvent, type TaskStatus } from '../../../src/engine/events.js';
import { defaultRunOptions, type RunOptions } from '../../../src/engine/options.js';
import { runPlaybook, type RunSummary } from '../../../src/engine/runner.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/engine');
export const INVENTORY = join(FIXTURES, 'inventory.yaml');

export type ResultEvent = Extract<RunEvent, { type: 'result' }>;

export interface Outcome {
  events: RunEvent[];
  summary: RunSummary;
  /** Result events (per host and task; loop items included), optionally of one task. */
  results(task?: string): ResultEvent[];
  /** The one task-level result (not a loop item) of a task on a host. */
  result(task: string, host: string): ResultEvent;
  /** `host:status` of each task-level result of a task, in emit order. */
  statuses(task: string): string[];
  warnings(): string[];
}

/** Scratch state dirs of this test process, removed by one exit listener (one per dir was a leak warning). */
const scratchDirs = new Set<string>();

/** A state dir for a run without a `tmp` (removed when the test process exits). */
function scratchStateDir(): string {
  const dir = makeTmp();
  if (scratchDirs.size === 0) process.once('exit', () => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  scratchDirs.add(dir);
  return dir;
}

export function makeTmp(): string {
  return mkdtempSync(join(tmpdir(), 'provision-engine-'));
}

export function removeTmp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunArgs {
  inventory?: string;
  /** Temp dir, passed to the playbook as the extra var `tmp`. */
  tmp?: string;
  options?: Partial<RunOptions>;
  extraVars?: Record<string, unknown>;
  /** Aborts the run as SIGINT/SIGTERM do (the reason is the signal's name). */
  interrupt?: AbortSignal;
  /** The secrets known before the run, as the CLI passes them (default: found by the runner). */
  secrets?: readonly string[];
}

export async function runFixture(playbook: string, args: RunArgs = {}): Promise<Outcome> {
  const extraVars = { ...(args.tmp ? { tmp: args.tmp } : {}), ...args.extraVars, ...args.options?.extraVars };
  const path = join(FIXTURES, playbook);
  const pb = loadPlaybook(path, { extraVars });
  const inventory = loadInventory(args.inventory ?? INVENTORY, { playbookDir: pb.dir, warn: () => undefined });
  // The hosts are this machine: each run keeps their lock and pending handlers in a temp dir of its own
  // (not `tmp`, which tests inspect), unless the test gives one.
  const options: RunOptions = { ...defaultRunOptions, stateDir: scratchStateDir(), ...args.options, extraVars };
  // What the CLI checks before a run (src/cli/execute.ts validateForRun).
  validatePlaybookHosts(pb, inventory);
  validatePlaybookVariables(pb, inventory, extraVars);
  const events: RunEvent[] = [];
  const bus = new EventBus();
  bus.on((e) => events.push(e));
  const summary = await runPlaybook(pb, inventory, options, bus, args.interrupt, ...(args.secrets ? [args.secrets] : []));
  const results = (task?: string) =>
    events.filter((e): e is ResultEvent => e.type === 'result' && (task === undefined || e.task === task));
  return {
    events,
    summary,
    results,
    result(task, host) {
      const found = results(task).filter((r) => r.host === host && r.item === undefined);
      if (found.length !== 1) throw new Error(`expected one result of '${task}' on ${host}, got ${found.length}`);
      return found[0] as ResultEvent;
    },
    statuses: (task) => results(task).filter((r) => r.item === undefined).map((r) => `${r.host}:${r.status}`),
    warnings: () => events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])),
  };
}

/** Sorted `host:status` pairs (for parallel hosts whose order is not fixed). */
export function sorted(list: string[]): string[] {
  return [...list].sort();
}

export function hostsWith(outcome: Outcome, task: string, status: TaskStatus): string[] {
  return outcome
    .results(task)
    .filter((r) => r.item === undefined && r.status === status)
    .map((r) => r.host)
    .sort();
}
