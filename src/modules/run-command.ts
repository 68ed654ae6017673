// The shared half of command and shell: creates/removes decide whether to run at all (read-only
// probes, one round trip), check mode skips commands whose effect cannot be predicted, and the
// registered result has Ansible's rc/stdout/stderr/stdout_lines/stderr_lines/cmd.

import { posix } from 'node:path';
import { z } from 'zod';
import { quote } from '../core/shell.js';
import { pathExists } from '../facts/files.js';
import { bool } from './args.js';
import type { ActionOutput, ModuleContext, Plan } from './types.js';

export const commandArgs = {
  cmd: z.string().min(1).optional(),
  argv: z.array(z.string()).min(1).optional(),
  chdir: z.string().min(1).optional(),
  creates: z.string().min(1).optional(),
  removes: z.string().min(1).optional(),
  stdin: z.string().optional(),
  stdin_add_newline: bool().default(true),
  strip_empty_ends: bool().default(true),
};

/** Nothing can make the command not run (outside check mode): no creates, no removes. */
export function runsEveryTime(args: Readonly<Record<string, unknown>>): boolean {
  return args.creates === undefined && args.removes === undefined;
}

/** cmd (the free-form text) or argv: exactly one. */
export const cmdOrArgv = {
  mutuallyExclusive: [['cmd', 'argv']],
  requiredOneOf: [['cmd', 'argv']],
  labels: { cmd: 'cmd (or the free-form command)' },
} as const;

export interface CommandArgs {
  chdir?: string | undefined;
  creates?: string | undefined;
  removes?: string | undefined;
  stdin?: string | undefined;
  stdin_add_newline: boolean;
}

/** Plan running `line` (already a complete shell command line); `shown` is what `cmd` reports. */
export async function planCommand(a: CommandArgs, line: string, shown: string, ctx: ModuleContext): Promise<Plan> {
  // As in Ansible, a relative creates/removes is taken relative to chdir.
  const resolve = (p: string) => (a.chdir && !posix.isAbsolute(p) ? posix.join(a.chdir, p) : p);
  const creates = a.creates !== undefined ? resolve(a.creates) : undefined;
  const removes = a.removes !== undefined ? resolve(a.removes) : undefined;
  const probes = [creates, removes].filter((p): p is string => p !== undefined).map((p) => pathExists(p));
  const found = probes.length > 0 ? await ctx.facts.getAll(probes) : [];
  let i = 0;
  if (creates !== undefined && found[i++] === true) {
    return noRun(shown, `skipped, since ${creates} exists`, `Did not run command since '${creates}' exists`);
  }
  if (removes !== undefined && found[i] === false) {
    return noRun(shown, `skipped, since ${removes} does not exist`, `Did not run command since '${removes}' does not exist`);
  }
  if (ctx.check && creates === undefined && removes === undefined) {
    // Ansible: without creates/removes the outcome cannot be known, so check mode reports "skipped",
    // still with rc 0 and empty outputs (so `r.stdout` of a registered result is '' in check mode).
    const msg = 'Command would have run if not in check mode';
    const empty = { rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
    return { actions: [], skipped: 'not run in check mode', result: { msg, cmd: shown, ...empty } };
  }
  // The braces keep `a; b` or `a || b` from running when cd fails; the newline ends a trailing comment.
  const command = a.chdir !== undefined ? `cd -- ${quote(a.chdir)} && {\n${line}\n}` : line;
  const stdin = a.stdin !== undefined ? (a.stdin_add_newline ? `${a.stdin}\n` : a.stdin) : undefined;
  return {
    actions: [{ kind: 'exec', command, ...(stdin !== undefined ? { stdin } : {}), describe: shown }],
    reason: creates !== undefined ? `${creates} does not exist` : removes !== undefined ? `${removes} exists` : undefined,
  };
}

function noRun(cmd: string, stdout: string, msg: string): Plan {
  return { actions: [], reason: msg, result: { rc: 0, cmd, stdout, stderr: '', stdout_lines: [stdout], stderr_lines: [], msg } };
}

function strip(text: string, enabled: boolean): string {
  return enabled ? text.replace(/^\n+|\n+$/g, '') : text;
}

export function interpretCommand(cmd: string | string[], strip_empty_ends: boolean, outputs: ActionOutput[]): Record<string, unknown> {
  const last = outputs[outputs.length - 1];
  if (!last) return {};
  const stdout = strip(last.stdout, strip_empty_ends);
  const stderr = strip(last.stderr, strip_empty_ends);
  const lines = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  return { rc: last.code, stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr), cmd };
}
