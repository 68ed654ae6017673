// provision report [RUN] [-o FILE.html]: the HTML report of a recorded run (default: the last one),
// compared with the run of the same playbook before it.

import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { historyDirsToRead, previousRunOf, selectRun } from '../../history/locate.js';
import { readHistory, readRunFile } from '../../history/read-history.js';
import { subjectOf, type RunRecord } from '../../history/record.js';
import { warnBadFiles } from './history.js';

interface ReportFlags {
  output?: string;
  historyDir?: string;
  playbook?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the HTML report of a recorded run (default: the last run)')
    .argument('[run]', 'a run id from `provision history` (or its beginning), or a run file (.jsonl)')
    .option('-o, --output <FILE.html>', "where to write it ('-' for stdout; default: report-RUN.html here)")
    .option('-p, --playbook <FILE>', 'read the history beside this playbook')
    .option('--history-dir <DIR>', 'read this history folder')
    .action(async (runArg: string | undefined, flags: ReportFlags) => {
      // The HTML report's code is loaded only by the command that writes one.
      const [{ buildReportModel }, { renderReport }] = await Promise.all([import('../../report/html/model.js'), import('../../report/html/render.js')]);
      const dirs = historyDirsToRead(flags.playbook, flags.historyDir);
      const { runs, bad } = readHistory(dirs);
      warnBadFiles(bad);
      const run = runArg && runArg.endsWith('.jsonl') && existsSync(runArg) ? readFile(runArg) : selectRun(runs, runArg, dirs);
      const previous = previousRunOf(run, runs, (r) => subjectOf(r.header));
      const html = renderReport(buildReportModel(run, previous));
      if (flags.output === '-') {
        process.stdout.write(html);
        return;
      }
      const file = resolve(flags.output ?? `report-${run.header.id}.html`);
      writeFileSync(file, html);
      process.stdout.write(`report of ${run.header.id} written to ${displayPath(file)} (${Math.ceil(Buffer.byteLength(html) / 1024)} KB)\n`);
    });
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function readFile(path: string): RunRecord {
  const parsed = readRunFile(resolve(path));
  if (!parsed.ok) throw new UsageError(`${path}: not a whole recorded run: ${parsed.problem}`);
  return parsed.record;
}
