// The translation of the shared run flags (run-flag-declarations.ts) into RunOptions.

import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { defaultRunOptions, type RunOptions } from '../engine/options.js';
import { parseExtraVars } from './extra-vars.js';
import type { RunFlags } from './run-flag-declarations.js';

export { addRunFlags, collectRolesPath, type RunFlags } from './run-flag-declarations.js';

export function toRunOptions(flags: RunFlags, defaults: { retryFile: string | false }): RunOptions {
  const forks = Number(flags.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new UsageError(`--forks: expected a positive integer, got '${flags.forks}'`);
  const timeout = Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout: expected seconds, got '${flags.timeout}'`);
  const lockTimeout = Number(flags.lockTimeout ?? '0');
  if (!Number.isFinite(lockTimeout) || lockTimeout < 0) throw new UsageError(`--lock-timeout: expected seconds, got '${flags.lockTimeout}'`);
  const probeWindow = Number(flags.probeWindow ?? defaultRunOptions.probeWindow);
  if (!Number.isInteger(probeWindow) || probeWindow < 1) throw new UsageError(`--probe-window: expected a positive integer, got '${flags.probeWindow}'`);
  const retryFile = flags.retryFile === false ? false : flags.retryFile ? resolve(flags.retryFile) : defaults.retryFile;
  return {
    check: flags.check ?? false,
    diff: flags.diff ?? false,
    forks,
    tags: flags.tags ?? [],
    skipTags: flags.skipTags ?? [],
    ...(flags.limit ? { limit: flags.limit } : {}),
    ...(flags.startAtTask ? { startAtTask: flags.startAtTask } : {}),
    extraVars: parseExtraVars(flags.extraVars ?? []),
    forceHandlers: flags.forceHandlers ?? false,
    trustOnFirstUse: flags.trustOnFirstUse ?? false,
    connectTimeoutMs: timeout * 1000,
    retryFile,
    verbosity: flags.verbose,
    lockTimeoutSeconds: Math.ceil(lockTimeout),
    probeWindow,
    // For tests and unusual hosts: where hosts keep provision's state instead of /var/lib/provision.
    ...(process.env.PROVISION_STATE_DIR ? { stateDir: process.env.PROVISION_STATE_DIR } : {}),
  };
}
