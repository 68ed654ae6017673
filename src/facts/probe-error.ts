// A probe whose output cannot be understood fails the task (not the whole run) with a readable message.

import { TaskFailedError } from '../core/errors.js';
import type { ExecResult } from '../transport/types.js';

export class ProbeError extends TaskFailedError {}

export function probeFailure(what: string, result: ExecResult): ProbeError {
  const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
  return new ProbeError(`${what}: ${detail}`);
}
