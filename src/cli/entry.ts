// The bundle's entry: `provision --version` is answered before anything else is loaded (commander,
// the commands); every other command line goes to main.ts, whose commands load what they run.

import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  await import('./main.js');
}
