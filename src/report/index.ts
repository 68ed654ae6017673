// Reporters listen to the engine's events and write a run's output. The CLI picks a mode with
// chooseMode() and feeds every event to the reporter createReporter() returns.

import { createJsonReporter } from './json-reporter.js';
import { createPlainReporter } from './plain-reporter.js';
import type { Reporter, ReporterOptions } from './types.js';

export { chooseMode } from './choose-mode.js';
export { unifiedDiff } from './unified-diff.js';
export type { Reporter, ReporterOptions, ReportMode } from './types.js';

export async function createReporter(options: ReporterOptions): Promise<Reporter> {
  switch (options.mode) {
    case 'json':
      return createJsonReporter(options);
    case 'plain':
      return createPlainReporter(options);
    case 'tty': {
      // Loaded on demand: listr2 (and the tree code) is only paid for when a tree is drawn.
      const { createTtyReporter } = await import('./tty-reporter.js');
      return createTtyReporter(options);
    }
  }
}
