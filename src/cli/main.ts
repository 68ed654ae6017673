// Entry point: the command tree and the single top-level catch. User mistakes (ProvisionError)
// print one paragraph and exit with their code; anything else is a bug and shows its stack.

import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import { ExitCode, ProvisionError } from '../core/errors.js';
import { processSecrets } from '../core/mask.js';
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
import { VERSION } from './version.js';

function buildProgram(): Command {
  const program = new Command('provision')
    .description('Agentless, Ansible-style provisioning over SSH')
    .version(VERSION, '-V, --version')
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

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with code 0.
      process.exitCode = err.exitCode === 0 ? 0 : ExitCode.invalidInput;
      return;
    }
    if (err instanceof ProvisionError) {
      process.stderr.write(`error: ${processSecrets.mask(err.message)}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`provision: internal error (please report it):\n${processSecrets.mask(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    process.exitCode = ExitCode.internal;
  }
}

// `provision ... | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

await main(process.argv);
