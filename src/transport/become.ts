// Become = a second persistent shell started through sudo, once per (host, user). The password goes to
// sudo's stdin (never argv); without a password, `sudo -n` fails at once instead of waiting for one.

import { HostTaskError } from '../core/errors.js';

/** sudo refused (wrong password, no password given, user not allowed, unknown user). */
export class BecomeError extends HostTaskError {
  constructor(
    host: string,
    readonly user: string,
    reason: string,
  ) {
    super(host, `become (sudo) to user '${user}' failed: ${reason}`);
  }
}

export function shellArgv(script: string): string[] {
  return ['bash', '--noprofile', '--norc', '-c', script];
}

export function sudoShellArgv(script: string, user: string, withPassword: boolean): string[] {
  const auth = withPassword ? ['-S', '-p', ''] : ['-n'];
  return ['sudo', '-H', ...auth, '-u', user, '--', ...shellArgv(script)];
}

/** sudo keeps reading stdin after a wrong password: this tells us to stop waiting for the shell. */
export const SUDO_WRONG_PASSWORD = /Sorry, try again\.|incorrect password attempt/;

/** A one-line reason, with what to do, from what sudo printed before the shell could start. */
export function explainSudoFailure(stderr: string, hadPassword: boolean): string {
  const text = stderr.trim();
  if (SUDO_WRONG_PASSWORD.test(text)) return 'incorrect become password (ansible_become_password)';
  if (/a password is required|no password was provided/.test(text)) {
    return hadPassword
      ? 'sudo asked for a password and did not accept the one given'
      : 'sudo needs a password: set ansible_become_password (or allow NOPASSWD for this user)';
  }
  if (/not in the sudoers|not allowed to|may not run sudo/.test(text)) return `not allowed by sudoers: ${lastLine(text)}`;
  if (/unknown user/.test(text)) return `no such user: ${lastLine(text)}`;
  if (/command not found|No such file/.test(text) && /sudo/.test(text)) return 'sudo is not installed on the host';
  return text === '' ? 'the sudo shell exited before it started' : lastLine(text);
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? text;
}
