// Ctrl-C and SIGTERM during a run: the first asks the engine to stop (no new task, the commands in
// flight ended on the hosts, recap and retry file, exit 130); a second one exits at once.

import { ExitCode } from '../core/errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handlers for the length of `work`; `work` gets the signal that aborts the run. */
export async function withInterrupts<T>(work: (interrupt: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`\nprovision: ${signal} again: exiting now; commands may still run on the hosts\n`);
      process.exit(ExitCode.interrupted);
    }
    process.stderr.write(`\nprovision: ${signal}: stopping (ending the tasks in flight); press Ctrl-C again to exit at once\n`);
    controller.abort(signal);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}
