// A local child process as the byte channel of a persistent shell: `ansible_connection: local` runs the
// shell itself, provision_control_persist runs OpenSSH's `ssh`, which runs it on the host.

import { spawn } from 'node:child_process';
import type { ShellChannel } from './shell-session.js';

/**
 * Starts `argv` with piped stdio in its own process group (a Ctrl-C on the terminal reaches provision
 * only, which ends commands itself). Rejects with `cannotStart(error)` when the program cannot start.
 */
export function spawnChannel(argv: readonly string[], cannotStart: (error: Error) => Error, cwd?: string): Promise<ShellChannel> {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new Error('internal: empty argv'));
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, ...(cwd ? { cwd } : {}) });
  return new Promise<ShellChannel>((resolve, reject) => {
    child.once('error', (e) => reject(cannotStart(e)));
    child.once('spawn', () => {
      // Writes after the process died must not crash the run: the session reports the close.
      child.stdin.on('error', () => undefined);
      resolve({
        write: (data) => void child.stdin.write(data),
        onStdout: (l) => void child.stdout.on('data', l),
        onStderr: (l) => void child.stderr.on('data', l),
        onClose: (l) => void child.once('close', (code) => l(code)),
        end: () => void child.stdin.end(),
        destroy: () => {
          child.stdin.end();
          child.kill('SIGKILL');
        },
      });
    });
  });
}
