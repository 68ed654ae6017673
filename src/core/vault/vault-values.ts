// Reading a vault where a YAML file is expected: the text is decrypted with the process's vault
// password, and every value in it becomes a secret of the process (masked in every output).

import { processSecrets, vaultSecrets } from '../mask.js';
import { vaultPassword } from './keyring.js';
import { decryptVault, isVaulted } from './vault-format.js';

/** The file's YAML text: decrypted when it is a vault. */
export function openVaultedText(text: string, file: string): { text: string; vaulted: boolean } {
  if (!isVaulted(text)) return { text, vaulted: false };
  return { text: decryptVault(text, vaultPassword(), file), vaulted: true };
}

/** Every value of a decrypted document is secret (a bare yes/no or a count is not worth masking). */
export function rememberVaultValues(value: unknown): void {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value).trim();
    if (text !== '' && !/^(true|false|yes|no|\d{1,3})$/i.test(text)) {
      processSecrets.add(String(value));
      vaultSecrets.add(String(value));
    }
  } else if (Array.isArray(value)) for (const v of value) rememberVaultValues(v);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) rememberVaultValues(v);
}
