// The program: parses the command line with the command tree (program.ts), under the single
// top-level catch. User mistakes (ProvisionError) print one paragraph and exit with their code;
// anything else is a bug and shows its stack. The build bundles this file alone into dist/main.cjs,
// which entry.ts runs through the code cache (code-cache.ts) and then calls `main`.

import { CommanderError } from 'commander';
import { ExitCode, ProvisionError } from '../core/errors.js';
import { processSecrets } from '../core/mask.js';
import { helpWidthFor } from './help-width.js';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram(helpWidthFor(process.stdout)).parseAsync(argv);
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
