// --json: one JSON object a line on stdout for each event, nothing else on stdout. The recap is
// held back and written at finish(), so it is always the last line even if a late warning arrives.

import type { RunEvent } from '../engine/events.js';
import type { Reporter, ReporterOptions } from './types.js';

export function createJsonReporter(options: Pick<ReporterOptions, 'out'>): Reporter {
  const write = (event: RunEvent): void => {
    options.out.write(JSON.stringify(event) + '\n');
  };
  let recap: RunEvent | undefined;
  return {
    handle(event) {
      if (event.type === 'recap') recap = event;
      else write(event);
    },
    async finish() {
      if (recap) write(recap);
      recap = undefined;
      await new Promise<void>((resolve) => options.out.write('', () => resolve()));
    },
  };
}
