// Which reporter a run uses: --json wins; the live tree only on an interactive terminal outside CI.

import type { ReportMode } from './types.js';

export function chooseMode(input: { json: boolean; isTTY: boolean; ci: boolean }): ReportMode {
  if (input.json) return 'json';
  return input.isTTY && !input.ci ? 'tty' : 'plain';
}
