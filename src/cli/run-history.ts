// What `run`, `role` and `exec` add around a run for the history and --report: a recorder listening
// to the run's events (masked like --json, with the same secrets), then the end record, pruning, and
// the HTML report. Kept out of execute.ts so that the run itself is unchanged by all this.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Playbook } from '../core/playbook/types.js';
import type { RunOptions } from '../engine/options.js';
import { readHistory } from '../history/read-history.js';
import { subjectOf, type RunRecord } from '../history/record.js';
import { RunRecorder } from '../history/recorder.js';
import { historyDirFor, historyKeep } from '../history/settings.js';
import { previousRunOf } from '../history/locate.js';
import { createMasker } from '../core/mask.js';
import type { RunFlags } from './run-flags.js';

export interface RunHistory {
  record: RunRecorder['record'];
  finish(exitCode: number): Promise<void>;
}

const warn = (message: string): void => {
  process.stderr.write(`[WARNING]: ${message}\n`);
};

/** `secrets`: the run's secrets found before it starts (collectSecrets), the list the run masks with. */
export function startRunHistory(playbook: Playbook, options: RunOptions, flags: RunFlags, secrets: readonly string[]): RunHistory {
  const dir = flags.history === false ? undefined : historyDirFor(playbook.dir, flags.historyDir);
  const recorder = new RunRecorder({
    playbook: playbook.path,
    playbookDir: playbook.dir,
    command: process.argv.slice(2),
    ...(flags.inventory ? { inventory: flags.inventory } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
    check: options.check,
    mask: createMasker(secrets),
    ...(dir ? { dir } : {}),
    keep: historyKeep(),
    warn,
  });
  return {
    record: recorder.record,
    async finish(exitCode) {
      const record = recorder.finish(exitCode);
      if (flags.report) await writeReport(record, resolve(flags.report), dir);
    },
  };
}

/** The HTML report of a run just made, compared with the previous run of the same playbook. */
async function writeReport(record: RunRecord, file: string, dir: string | undefined): Promise<void> {
  // The HTML report's code is loaded only by a run that writes one.
  const [{ buildReportModel }, { renderReport }] = await Promise.all([import('../report/html/model.js'), import('../report/html/render.js')]);
  const history = dir ? readHistory([dir]).runs : [];
  const previous = previousRunOf(record, history, (r) => subjectOf(r.header));
  try {
    writeFileSync(file, renderReport(buildReportModel(record, previous)));
  } catch (err) {
    warn(`report not written to ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
