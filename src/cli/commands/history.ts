// provision history [PATH]: the recorded runs, a line each (when, playbook, hosts, results,
// duration, exit code). Broken files are named on stderr and skipped.

import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { historyDirsToRead } from '../../history/locate.js';
import { readHistory, type BadRunFile } from '../../history/read-history.js';
import { formatHistoryTable } from '../../history/summary.js';

export function warnBadFiles(bad: readonly BadRunFile[]): void {
  for (const b of bad) process.stderr.write(`[WARNING]: history: skipped ${b.file}: ${b.problem}\n`);
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .description('list recorded runs (the history beside a playbook, or under PATH and its subfolders)')
    .argument('[path]', 'a playbook, or a folder (default: the current one)')
    .option('--history-dir <DIR>', 'read this history folder')
    .option('-n, --last <N>', 'only the last N runs')
    .action((path: string | undefined, flags: { historyDir?: string; last?: string }) => {
      const dirs = historyDirsToRead(path, flags.historyDir);
      const { runs, bad } = readHistory(dirs);
      warnBadFiles(bad);
      let shown = runs;
      if (flags.last !== undefined) {
        const n = Number(flags.last);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--last: expected a positive integer, got '${flags.last}'`);
        shown = runs.slice(-n);
      }
      if (shown.length === 0) {
        process.stdout.write(`no recorded runs in ${dirs.join(', ')}\n`);
        return;
      }
      process.stdout.write(formatHistoryTable(shown, process.cwd()));
    });
}
