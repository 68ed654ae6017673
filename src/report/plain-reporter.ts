// Plain lines for CI logs and pipes, as Ansible prints them: PLAY/TASK headers, one status line per
// host result, diffs and (with -v) commands and output, then the recap.

import type { RunEvent } from '../engine/events.js';
import { banner } from './banner.js';
import { palette } from './colors.js';
import { resultDetails, resultLines } from './format-result.js';
import { createLineWriter } from './line-writer.js';
import { formatRecap } from './recap.js';
import type { Reporter, ReporterOptions } from './types.js';

export const CHECK_MODE_BANNER = 'CHECK MODE: nothing will be changed; tasks report what they would change.';

export function createPlainReporter(options: Omit<ReporterOptions, 'mode'>): Reporter {
  const out = createLineWriter(options.out);
  const err = createLineWriter(options.err);
  const p = palette(options.color);
  /** The task whose header was printed last: results of another task (free strategy) re-print it. */
  let headerTask: string | undefined;

  const taskHeader = (task: string, handler: boolean): void => {
    out.line('');
    out.line(p.bold(banner(`${handler ? 'RUNNING HANDLER' : 'TASK'} [${task}]`)));
    headerTask = task;
  };

  return {
    handle(event: RunEvent) {
      switch (event.type) {
        case 'run_start':
          if (event.check) out.line(p.magenta(CHECK_MODE_BANNER));
          break;
        case 'play_start': {
          const batch = event.batch ? ` (batch ${event.batch.index + 1}/${event.batch.count})` : '';
          out.line('');
          out.line(p.bold(banner(`PLAY [${event.play}]${batch}`)));
          headerTask = undefined;
          break;
        }
        case 'task_start':
          taskHeader(event.task, event.handler);
          break;
        case 'result': {
          if (headerTask !== event.task) taskHeader(event.task, event.handler);
          out.lines(resultLines(event, p, options.verbose));
          out.lines(resultDetails(event, options, p));
          break;
        }
        case 'warning':
          err.line(p.magenta(`[WARNING]: ${event.host ? `${event.host}: ` : ''}${event.message}`));
          break;
        case 'recap':
          out.line('');
          out.lines(formatRecap(event, p));
          break;
        case 'task_end':
        case 'play_end':
          break;
      }
    },
    async finish() {
      await Promise.all([out.flush(), err.flush()]);
    },
  };
}
