// An in-memory FactReader built from a table of probe key → parsed value, as pyinfra's operation
// fixtures do. It throws on a probe the table does not list, and counts rounds (one per get/getAll)
// so that tests can assert that a no-op plan needs exactly one round trip.

import { renderValue } from '../../../src/core/template.js';
import type { FactReader, Probe } from '../../../src/facts/types.js';
import type { ModuleContext, ModuleDefinition, Plan } from '../../../src/modules/types.js';

export class TableFactReader implements FactReader {
  rounds = 0;
  readonly asked: string[] = [];
  constructor(private readonly table: Record<string, unknown>) {}

  private lookup(probe: Probe<unknown>): unknown {
    this.asked.push(probe.key);
    if (!(probe.key in this.table)) throw new Error(`probe not in the fact table: ${probe.key}`);
    return this.table[probe.key];
  }

  async get<T>(probe: Probe<T>): Promise<T> {
    this.rounds++;
    return this.lookup(probe) as T;
  }

  async getAll<T extends readonly Probe<unknown>[]>(probes: T): Promise<{ [K in keyof T]: T[K] extends Probe<infer R> ? R : never }> {
    this.rounds++;
    return probes.map((p) => this.lookup(p)) as { [K in keyof T]: T[K] extends Probe<infer R> ? R : never };
  }
}

export interface PlanCase {
  name: string;
  args: unknown;
  facts?: Record<string, unknown>;
  check?: boolean;
  diff?: boolean;
  /** The run's -v count (default 0). */
  verbosity?: number;
  vars?: Record<string, unknown>;
  localFiles?: Record<string, string | Buffer>;
}

export interface PlanRun {
  plan: Plan;
  rounds: number;
  /** exec commands and `put PATH` lines, in order. */
  commands: string[];
}

export function contextFor(c: PlanCase): { ctx: ModuleContext; reader: TableFactReader } {
  const reader = new TableFactReader(c.facts ?? {});
  const vars = c.vars ?? {};
  const ctx: ModuleContext = {
    host: { name: 'web01', vars },
    facts: reader,
    check: c.check ?? false,
    diff: c.diff ?? false,
    verbosity: c.verbosity ?? 0,
    async readLocalFile(path, kind) {
      const content = c.localFiles?.[`${kind}/${path}`];
      if (content === undefined) throw new Error(`no local file ${kind}/${path}`);
      return Buffer.from(content);
    },
    // A stand-in renderer: <%= name %> from the host vars, enough to see that rendering happened.
    async renderTemplate(text) {
      return text.replace(/<%=\s*(\w+)\s*%>/g, (_, name: string) => String(vars[name]));
    },
    // The real renderer (a variable's templates, as the engine renders them).
    renderValue: (value) => renderValue(value, vars, { file: 'test-task.yaml' }),
  };
  return { ctx, reader };
}

export async function runPlan(module: ModuleDefinition, c: PlanCase): Promise<PlanRun> {
  const parsed = module.args.safeParse(c.args);
  if (!parsed.success) throw new Error(`${c.name}: invalid args: ${parsed.error.message}`);
  const { ctx, reader } = contextFor(c);
  const plan = await module.plan(parsed.data, ctx);
  const commands = plan.actions.map((a) => (a.kind === 'exec' ? a.command : `put ${a.path}`));
  return { plan, rounds: reader.rounds, commands };
}

export interface TableCase extends PlanCase {
  expect: {
    /** exec command lines and `put PATH`, in order ([] = unchanged). */
    commands?: string[];
    /** Standard input of each exec action, in order (the SQL the mysql modules send). */
    stdin?: string[];
    /** Content of each put, by path. */
    puts?: Record<string, string>;
    failed?: RegExp | string;
    /** The plan's skip reason (undefined: the plan is not a skip). */
    skipped?: RegExp | string;
    diff?: { before: string; after: string } | null;
    result?: Record<string, unknown>;
    facts?: Record<string, unknown>;
    /** Rounds of probes (default: 1 when no facts are needed... asserted only when given). */
    rounds?: number;
  };
}

/** Runs a table case and checks every expectation it states. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest's expect is passed in to keep this file free of test globals
export async function checkCase(module: ModuleDefinition, c: TableCase, expectFn: (v: unknown) => any): Promise<void> {
  const run = await runPlan(module, c);
  const e = c.expect;
  if (e.failed !== undefined) {
    expectFn(run.plan.failed).toMatch(e.failed);
  } else {
    expectFn(run.plan.failed).toBeUndefined();
  }
  if (e.skipped !== undefined) expectFn(run.plan.skipped).toMatch(e.skipped);
  else expectFn(run.plan.skipped).toBeUndefined();
  if (e.commands !== undefined) expectFn(run.commands).toEqual(e.commands);
  if (e.stdin !== undefined) {
    expectFn(run.plan.actions.flatMap((a) => (a.kind === 'exec' ? [a.stdin === undefined ? '' : a.stdin.toString()] : []))).toEqual(e.stdin);
  }
  if (e.puts !== undefined) {
    const puts = Object.fromEntries(run.plan.actions.flatMap((a) => (a.kind === 'put' ? [[a.path, a.content.toString()]] : [])));
    expectFn(puts).toEqual(e.puts);
  }
  if (e.diff !== undefined) {
    if (e.diff === null) expectFn(run.plan.diff).toBeUndefined();
    else expectFn(run.plan.diff?.[0]).toMatchObject(e.diff);
  }
  if (e.result !== undefined) expectFn(run.plan.result).toMatchObject(e.result);
  if (e.facts !== undefined) expectFn(run.plan.facts).toEqual(e.facts);
  if (e.rounds !== undefined) expectFn(run.rounds).toBe(e.rounds);
}
