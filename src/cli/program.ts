// The command tree (commander): every command, flag and help text is declared here, once. main.ts
// parses a command line with it; the build (scripts/build.mjs) prints every command's help with it
// into dist/help.json, which entry.ts answers `--help` from without loading any of this.

import { Command } from 'commander';
import { resolve } from 'node:path';
import { registerExecCommand } from './commands/exec.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerReportCommand } from './commands/report.js';
import { registerInventoryCommand } from './commands/inventory.js';
import { registerLabCommand } from './commands/lab.js';
import { registerRoleCommand } from './commands/role.js';
import { registerRunCommand } from './commands/run.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerVaultCommand } from './commands/vault.js';
import { useVaultPasswordFile } from '../core/vault/keyring.js';
import { HELP_WIDTH } from './help-width.js';
import { VERSION } from './version.js';

/** `helpWidth`: the columns help is wrapped to (helpWidthFor() at run time, HELP_WIDTH at build time). */
export function buildProgram(helpWidth: number = HELP_WIDTH): Command {
  const program = new Command('provision')
    .description('Agentless, Ansible-style provisioning over SSH')
    .version(VERSION, '-V, --version')
    // Before the commands are declared: they copy it. A fixed width makes help the same text on
    // every terminal at least HELP_WIDTH wide, which is what lets it be printed at build time.
    .configureHelp({ helpWidth })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommand(program);
  registerRoleCommand(program);
  registerValidateCommand(program);
  registerInventoryCommand(program);
  registerExecCommand(program);
  registerLabCommand(program);
  registerHistoryCommand(program);
  registerReportCommand(program);
  registerVaultCommand(program);
  // Vaults met while loading (group_vars, host_vars, vars_files, -e @file) are opened with this password.
  program.hook('preAction', (_program, command) => {
    const file = (command.opts() as { vaultPasswordFile?: string }).vaultPasswordFile;
    useVaultPasswordFile(file === undefined ? undefined : resolve(file));
  });
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Every command's help text at HELP_WIDTH, keyed by its path under `provision` ('' for the top; aliases too). */
export function allHelpTexts(program: Command = buildProgram(HELP_WIDTH)): Record<string, string> {
  const texts: Record<string, string> = {};
  const walk = (cmd: Command, path: string[]): void => {
    // What `--help` writes, help text added around it included.
    let text = '';
    cmd.configureOutput({ writeOut: (s) => void (text += s) });
    cmd.outputHelp();
    texts[path.join(' ')] = text;
    for (const alias of cmd.aliases()) texts[[...path.slice(0, -1), alias].join(' ')] = text;
    for (const sub of cmd.commands) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return texts;
}
