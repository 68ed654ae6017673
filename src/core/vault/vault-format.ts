// The vault file format (docs/VAULT.md): a header line, then base64 lines of salt | nonce | tag |
// ciphertext. AES-256-GCM authenticates the ciphertext and the header (as additional data), with a
// key derived from the password by scrypt and a fresh random salt and nonce for every encryption.
// A wrong password and a modified file both fail authentication: one clear error, no partial text.

import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { InputError } from '../errors.js';

export const VAULT_HEADER = '$PROVISION_VAULT;1;AES256-GCM;SCRYPT-N32768-R8-P1';

const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
// scrypt's cost: 2^15 x 8 x 128 bytes = 32 MiB and ~0.1 s per derivation, OWASP's minimum for scrypt.
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const LINE = 76;

/** True when a file's text is a vault (its first line is the header). */
export function isVaulted(text: string): boolean {
  return text.startsWith(`${VAULT_HEADER}\n`) || text.trimEnd() === VAULT_HEADER;
}

function deriveKey(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, KEY_BYTES, SCRYPT);
}

export function encryptVault(plaintext: string, password: string): string {
  if (password.length === 0) throw new InputError('the vault password is empty');
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(VAULT_HEADER));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const body = Buffer.concat([salt, nonce, cipher.getAuthTag(), ciphertext]).toString('base64');
  const lines = body.match(new RegExp(`.{1,${LINE}}`, 'g')) ?? [];
  return `${VAULT_HEADER}\n${lines.join('\n')}\n`;
}

/** The plaintext of a vault; `file` names it in errors. */
export function decryptVault(text: string, password: string, file: string): string {
  if (!isVaulted(text)) throw new InputError(`not a provision vault (its first line is not ${VAULT_HEADER})`, { file });
  const body = text.slice(VAULT_HEADER.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new InputError('the vault is damaged: its body is not base64', { file });
  const raw = Buffer.from(body, 'base64');
  if (raw.length < SALT_BYTES + NONCE_BYTES + TAG_BYTES) throw new InputError('the vault is damaged: too short', { file });
  const salt = raw.subarray(0, SALT_BYTES);
  const nonce = raw.subarray(SALT_BYTES, SALT_BYTES + NONCE_BYTES);
  const tag = raw.subarray(SALT_BYTES + NONCE_BYTES, SALT_BYTES + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, salt), nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(VAULT_HEADER));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(SALT_BYTES + NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new InputError('cannot decrypt the vault: wrong vault password, or the file was modified', { file });
  }
}
