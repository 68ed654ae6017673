// The common tail of `run`, `role` and `exec`: validate everything, answer --list-* or run the
// plays with the chosen reporter, and return the exit code.

import { InputError } from '../core/errors.js';
import type { Inventory } from '../core/inventory/types.js';
import type { Playbook } from '../core/playbook/types.js';
import { hasTemplate, renderString } from '../core/template.js';
import { validatePlaybookHosts, validatePlaybookVariables } from '../core/playbook/index.js';
import { EventBus, type RunEvent } from '../engine/events.js';
import type { RunOptions } from '../engine/options.js';
import { playHosts, runPlaybook } from '../engine/runner.js';
import { collectSecrets } from '../engine/secrets.js';
import { chooseMode, createReporter } from '../report/index.js';
import { withInterrupts } from './interrupts.js';
import type { RunFlags } from './run-flags.js';
import { startRunHistory } from './run-history.js';
import { ExitCode, ProvisionError } from '../core/errors.js';

/** `hosts: "<%= target %>"` takes its pattern from play vars and extra vars, as Ansible allows. */
export function renderHostPatterns(playbook: Playbook, extraVars: Record<string, unknown>): void {
  for (const play of playbook.plays) {
    if (!hasTemplate(play.hosts)) continue;
    play.hosts = renderString(play.hosts, { ...play.vars, ...extraVars }, play.hostsLocation ?? play.location);
  }
}

export function validateForRun(playbook: Playbook, inventory: Inventory, options: RunOptions): void {
  renderHostPatterns(playbook, options.extraVars);
  validatePlaybookHosts(playbook, inventory);
  if (options.limit) {
    try {
      inventory.select(options.limit);
    } catch (err) {
      // Say which flag the pattern came from: it has no file:line:col.
      if (err instanceof InputError) throw new InputError(`--limit: ${err.detail}`, err.location, err.hint);
      throw err;
    }
  }
  validatePlaybookVariables(playbook, inventory, options.extraVars, options.limit);
}

export function listHostsAndTasks(playbook: Playbook, inventory: Inventory, options: RunOptions, flags: RunFlags): string {
  const lines: string[] = [`playbook: ${playbook.path}`];
  for (const play of playbook.plays) {
    lines.push('', `  play: ${play.name} (hosts: ${play.hosts})`);
    if (flags.listHosts) {
      const hosts = playHosts(inventory, play.hosts, options.limit);
      lines.push(`    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`));
    }
    if (flags.listTasks) {
      lines.push('    tasks:');
      for (const t of play.tasks) lines.push(`      ${t.name}${t.tags.length ? `\tTAGS: [${t.tags.join(', ')}]` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function executePlaybook(
  playbook: Playbook,
  inventory: Inventory,
  options: RunOptions,
  flags: RunFlags,
  extraListener?: (event: RunEvent) => void,
): Promise<number> {
  validateForRun(playbook, inventory, options);
  if (flags.listHosts || flags.listTasks) {
    process.stdout.write(listHostsAndTasks(playbook, inventory, options, flags));
    return 0;
  }
  const bus = new EventBus();
  const reporter = extraListener
    ? undefined
    : await createReporter({
        // A terminal that reports no width (e.g. under `script`) cannot host a live tree: plain lines.
        mode: chooseMode({ json: flags.json ?? false, isTTY: process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0, ci: process.env.CI === 'true' }),
        verbose: flags.verbose,
        diff: options.diff,
        color: flags.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true,
        out: process.stdout,
        err: process.stderr,
      });
  if (reporter) bus.on((e) => reporter.handle(e));
  if (extraListener) bus.on(extraListener);
  // Found once: the run masks its events with them and the history its header (the command line).
  const secrets = collectSecrets(playbook, inventory, options.extraVars);
  const history = startRunHistory(playbook, options, flags, secrets);
  bus.on(history.record);
  let exitCode: number = ExitCode.internal;
  try {
    const summary = await withInterrupts((interrupt) => runPlaybook(playbook, inventory, options, bus, interrupt, secrets));
    exitCode = summary.exitCode;
    return summary.exitCode;
  } catch (err) {
    if (err instanceof ProvisionError) exitCode = err.exitCode;
    throw err;
  } finally {
    await reporter?.finish();
    await history.finish(exitCode);
  }
}
