// provision vault encrypt|decrypt|edit|view|rekey FILE: files of variables kept encrypted (docs/VAULT.md).
// The password comes from --vault-password-file, PROVISION_VAULT_PASSWORD or a prompt; rekey's new
// one from --new-vault-password-file, PROVISION_NEW_VAULT_PASSWORD or a prompt. Files are replaced
// atomically (temp file + rename, mode 0600), so an interrupted command never leaves half a vault.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../core/errors.js';
import { readPassword, VAULT_PASSWORD_ENV } from '../../core/vault/keyring.js';
import { decryptVault, encryptVault, isVaulted } from '../../core/vault/vault-format.js';

const NEW_PASSWORD_ENV = 'PROVISION_NEW_VAULT_PASSWORD';
const ACTIONS = ['encrypt', 'decrypt', 'edit', 'view', 'rekey'] as const;
type VaultAction = (typeof ACTIONS)[number];

interface VaultFlags {
  vaultPasswordFile?: string;
  newVaultPasswordFile?: string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`, { file });
  }
}

/** Replace a file's content at once, readable by its owner only. */
function writeAtomically(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.provision-vault-${process.pid}`);
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

function password(flags: VaultFlags): string {
  return readPassword(flags.vaultPasswordFile, VAULT_PASSWORD_ENV, 'Vault password: ');
}

/** A new password: from a file or the environment, or typed twice. */
function newPassword(file: string | undefined, env: string): string {
  if (file !== undefined || process.env[env]) return readPassword(file, env, '');
  const first = readPassword(undefined, 'PROVISION_VAULT_NO_SUCH_VARIABLE', 'New vault password: ');
  const again = readPassword(undefined, 'PROVISION_VAULT_NO_SUCH_VARIABLE', 'Confirm new vault password: ');
  if (first !== again) throw new InputError('the two passwords differ');
  return first;
}

function requireVault(file: string, text: string): void {
  if (!isVaulted(text)) throw new InputError('not encrypted (not a provision vault)', { file });
}

function run(action: VaultAction, file: string, flags: VaultFlags): void {
  const text = readText(file);
  switch (action) {
    case 'encrypt':
      if (isVaulted(text)) throw new InputError('already encrypted', { file });
      // The password of a new vault: the usual sources, or typed twice.
      writeAtomically(file, encryptVault(text, flags.vaultPasswordFile !== undefined || process.env[VAULT_PASSWORD_ENV] ? password(flags) : newPassword(undefined, VAULT_PASSWORD_ENV)));
      process.stderr.write(`encrypted ${file}\n`);
      return;
    case 'decrypt':
      requireVault(file, text);
      writeAtomically(file, decryptVault(text, password(flags), file));
      process.stderr.write(`decrypted ${file}\n`);
      return;
    case 'view':
      requireVault(file, text);
      process.stdout.write(decryptVault(text, password(flags), file));
      return;
    case 'rekey': {
      requireVault(file, text);
      const plain = decryptVault(text, password(flags), file);
      writeAtomically(file, encryptVault(plain, newPassword(flags.newVaultPasswordFile, NEW_PASSWORD_ENV)));
      process.stderr.write(`rekeyed ${file}\n`);
      return;
    }
    case 'edit':
      edit(file, text, flags);
      return;
  }
}

/** Decrypt into a private temp dir, run $EDITOR on it, encrypt what was saved, remove the clear copy. */
function edit(file: string, text: string, flags: VaultFlags): void {
  requireVault(file, text);
  const pass = password(flags);
  const plain = decryptVault(text, pass, file);
  const dir = mkdtempSync(join(tmpdir(), 'provision-vault-'));
  chmodSync(dir, 0o700);
  const clear = join(dir, basename(file));
  try {
    writeFileSync(clear, plain, { mode: 0o600 });
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'editor', clear], { stdio: 'inherit' });
    if (r.status !== 0) throw new InputError(`the editor (${editor}) failed (exit code ${r.status ?? 'none'}); the vault is unchanged`, { file });
    const edited = readFileSync(clear, 'utf8');
    if (edited === plain) {
      process.stderr.write(`no change to ${file}\n`);
      return;
    }
    writeAtomically(file, encryptVault(edited, pass));
    process.stderr.write(`encrypted ${file}\n`);
  } finally {
    // Overwrite the clear copy before removing it.
    try {
      writeFileSync(clear, Buffer.alloc(statSync(clear).size));
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerVaultCommand(program: Command): void {
  program
    .command('vault')
    .description('encrypt, decrypt, edit, view or rekey a vault file (AES-256-GCM, scrypt key)')
    .argument('<action>', ACTIONS.join('|'))
    .argument('<file>', 'the file')
    .option('--vault-password-file <FILE>', `the vault password (first line); default: ${VAULT_PASSWORD_ENV}, else a prompt`)
    .option('--new-vault-password-file <FILE>', `rekey: the new password (first line); default: ${NEW_PASSWORD_ENV}, else a prompt`)
    .action((action: string, fileArg: string, flags: VaultFlags) => {
      if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`provision vault: unknown action '${action}' (expected ${ACTIONS.join(', ')})`);
      run(action as VaultAction, resolve(fileArg), flags);
    });
}
