// The bundle's entry: `provision --version` and `--help` (of the program or of any command) are
// answered before anything else is loaded (commander, the commands): the help texts were printed
// into dist/help.json by the build, with the same command tree (program.ts). Every other command
// line goes to main.ts, bundled alone as CommonJS (dist/main.cjs) so that it can run from a V8 code
// cache (code-cache.ts); its commands load what they run.

import { readFileSync } from 'node:fs';
import { HELP_WIDTH, helpWidthFor } from './help-width.js';
import { VERSION } from './version.js';

/** The help text the build printed for `args`, when they only ask for help and it fits this stdout. */
function prebuiltHelp(args: string[]): string | undefined {
  const last = args.at(-1);
  if (last !== '--help' && last !== '-h') return undefined;
  if (helpWidthFor(process.stdout) !== HELP_WIDTH) return undefined;
  try {
    const texts = JSON.parse(readFileSync(new URL('./help.json', import.meta.url), 'utf8')) as Record<string, string>;
    const key = args.slice(0, -1).join(' ');
    return Object.hasOwn(texts, key) ? texts[key] : undefined;
  } catch {
    // No help.json beside the bundle (an older build): commander prints the help.
    return undefined;
  }
}

const args = process.argv.slice(2);
const help = prebuiltHelp(args);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else if (help !== undefined) {
  process.stdout.write(help);
} else {
  const { runCommonJsBundle } = await import('./code-cache.js');
  const program = runCommonJsBundle(new URL('./main.cjs', import.meta.url)) as typeof import('./main.js');
  await program.main(process.argv);
  await exitWhenDone();
}

/**
 * Ends the process as soon as the command is done, instead of letting node tear the run's heap down
 * (50-100 ms after the last line on a small machine). Only once nothing but the standard streams is
 * left (the SSH sockets finish closing within a turn or two of the event loop; a child process, a
 * file operation or a timer of the command's own makes it wait) and their output is flushed; after
 * about 50 ms node ends the ordinary way. 'exit' handlers (the code cache) still run.
 */
async function exitWhenDone(): Promise<void> {
  for (let turn = 0; turn < 25; turn++) {
    const pending = process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap' && type !== 'PipeWrap');
    if (pending.length === 0 && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
