// --json: one JSON object a line on stdout for each event, nothing else on stdout. The recap is
// held back and written at finish(), so it is always the last line even if a late warning arrives.

import type { RunEvent } from '../engine/events.js';
import { createMasker, maskDeep } from './mask.js';
import type { Reporter, ReporterOptions } from './types.js';

export function createJsonReporter(options: Pick<ReporterOptions, 'out' | 'secrets'>): Reporter {
  const mask = createMasker(options.secrets);
  const write = (event: RunEvent): void => {
    // Mask the strings before serialising: a secret with quotes or backslashes would be escaped in
    // the JSON text and no longer match.
    options.out.write(JSON.stringify(maskDeep(event, mask)) + '\n');
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
