// Runs a batch of probes with as few processes on the host as their families allow: the probes of
// one family (facts/types.ts, `Probe.merge`) go as one command, which starts each of its tools once
// for all of them, and its output is split back into what each probe's own command would have
// given. When a family cannot split its output without doubt, its probes run again one by one in
// one more round trip, so each still gets exactly its own result or error.

import type { Probe, ProbeFamily } from '../facts/types.js';
import type { ExecOptions, ExecResult, Transport } from '../transport/types.js';

/** At most this many probes in one merged command (its tools' argument lists stay short). */
export const MAX_MERGED = 64;

const NO_RESULT: ExecResult = { code: -1, stdout: '', stderr: 'no result' };

/** One command of the batch and the probes (their indexes) it answers. */
interface BatchCommand {
  command: string;
  members: number[];
  /** Set for a merged command: each member's result, or undefined to run them one by one. */
  split?: (result: ExecResult) => ExecResult[] | undefined;
}

/**
 * The batch's commands: one per family (in chunks of MAX_MERGED), each other probe as it is. A family
 * of one goes in its family's form too: that form is written to start as few processes as it can
 * (fileStat's execs its last tool), and its split gives the probe what its own command gives.
 */
export function batchCommands(probes: readonly Probe<unknown>[]): BatchCommand[] {
  const commands: BatchCommand[] = [];
  const families = new Map<ProbeFamily<unknown>, number[]>();
  probes.forEach((probe, index) => {
    const family = probe.merge?.family;
    if (!family) {
      commands.push({ command: probe.command, members: [index] });
      return;
    }
    const members = families.get(family);
    if (members) members.push(index);
    else families.set(family, [index]);
  });
  for (const [family, members] of families) {
    for (let start = 0; start < members.length; start += MAX_MERGED) {
      commands.push(mergedCommand(family, probes, members.slice(start, start + MAX_MERGED)));
    }
  }
  return commands;
}

function mergedCommand(family: ProbeFamily<unknown>, probes: readonly Probe<unknown>[], members: number[]): BatchCommand {
  const inputs = members.map((i) => probes[i]?.merge?.input);
  return { command: family.command(inputs), members, split: (result) => family.split(result, inputs) };
}

/** Each probe's result, in order: one round trip, and a second only for a family that could not split its output. */
export async function execProbes(transport: Transport, probes: readonly Probe<unknown>[], options: ExecOptions): Promise<ExecResult[]> {
  const commands = batchCommands(probes);
  const results = await transport.execBatch(
    commands.map((c) => c.command),
    options,
  );
  const out: ExecResult[] = probes.map(() => NO_RESULT);
  const alone: number[] = [];
  commands.forEach((c, i) => {
    const result = results[i] ?? NO_RESULT;
    const parts = c.split ? c.split(result) : [result];
    if (parts && parts.length === c.members.length) c.members.forEach((m, j) => (out[m] = parts[j] ?? NO_RESULT));
    else alone.push(...c.members);
  });
  if (alone.length > 0) {
    const again = await transport.execBatch(
      alone.map((i) => probes[i]?.command ?? ''),
      options,
    );
    alone.forEach((m, j) => (out[m] = again[j] ?? NO_RESULT));
  }
  return out;
}
