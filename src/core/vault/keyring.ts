// Where the vault password comes from, for every file the process loads: `--vault-password-file`,
// else PROVISION_VAULT_PASSWORD, else a prompt on the terminal (asked once, on the first vault met).
// Loading is synchronous, so the prompt is too: bash's `read -s` on /dev/tty, never echoed.

import { spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { processSecrets, vaultSecrets } from '../mask.js';

export const VAULT_PASSWORD_ENV = 'PROVISION_VAULT_PASSWORD';

let passwordFile: string | undefined;
let cached: string | undefined;

/** `--vault-password-file FILE` (its first line is the password); undefined to go back to the env and the prompt. */
export function useVaultPasswordFile(file: string | undefined): void {
  passwordFile = file;
  cached = undefined;
}

/** The password of the vaults this process reads (asked for at most once). */
export function vaultPassword(): string {
  cached ??= readPassword(passwordFile, VAULT_PASSWORD_ENV, 'Vault password: ');
  processSecrets.add(cached);
  vaultSecrets.add(cached);
  return cached;
}

/** A password from a file, else an environment variable, else the terminal. */
export function readPassword(file: string | undefined, env: string, prompt: string): string {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read the vault password file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw new InputError('the vault password file is empty', { file });
    return password;
  }
  const fromEnv = process.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return promptPassword(prompt);
}

export function promptPassword(prompt: string): string {
  if (!hasTerminal()) {
    throw new InputError(`a vault password is needed: give --vault-password-file FILE or set ${VAULT_PASSWORD_ENV} (no terminal to ask on)`);
  }
  const r = spawnSync('bash', ['-c', 'IFS= read -rs -p "$1" p </dev/tty 2>/dev/tty; echo >/dev/tty; printf %s "$p"', 'prompt', prompt], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0 || r.stdout === '') throw new InputError('no vault password given');
  return r.stdout;
}

function hasTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}
