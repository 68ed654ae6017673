// The vault format: what is encrypted decrypts only with its password, every encryption is fresh,
// and any change to the file (header or body) is refused as clearly as a wrong password.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { decryptVault, encryptVault, isVaulted, VAULT_HEADER } from '../../../src/core/vault/vault-format.js';

const PLAIN = 'db_password: hunter2-é\nport: 3306\n';

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('vault format', () => {
  const vault = encryptVault(PLAIN, 'correct horse');

  it('is a header line and base64 lines that do not contain the text', () => {
    const lines = vault.trimEnd().split('\n');
    expect(lines[0]).toBe(VAULT_HEADER);
    for (const line of lines.slice(1)) expect(line).toMatch(/^[A-Za-z0-9+/=]{1,76}$/);
    expect(vault).not.toContain('hunter2');
    expect(isVaulted(vault)).toBe(true);
    expect(isVaulted(PLAIN)).toBe(false);
  });

  it('decrypts with its password', () => {
    expect(decryptVault(vault, 'correct horse', 'v.yaml')).toBe(PLAIN);
  });

  it('uses a fresh salt and nonce each time', () => {
    const again = encryptVault(PLAIN, 'correct horse');
    expect(again).not.toBe(vault);
    expect(decryptVault(again, 'correct horse', 'v.yaml')).toBe(PLAIN);
  });

  it('refuses a wrong password, naming the file', () => {
    const err = errorOf(() => decryptVault(vault, 'wrong horse', 'group_vars/all.yaml'));
    expect(err.message).toBe('group_vars/all.yaml: cannot decrypt the vault: wrong vault password, or the file was modified');
  });

  it('refuses a changed byte anywhere in the body', () => {
    const [header, ...body] = vault.trimEnd().split('\n');
    const raw = Buffer.from(body.join(''), 'base64');
    for (const offset of [0, 20, 40, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[offset] = (bad[offset] as number) ^ 1;
      const err = errorOf(() => decryptVault(`${header}\n${bad.toString('base64')}\n`, 'correct horse', 'v.yaml'));
      expect(err.message).toMatch(/wrong vault password, or the file was modified/);
    }
  });

  it('refuses a truncated, non-base64 or foreign file', () => {
    expect(errorOf(() => decryptVault(`${VAULT_HEADER}\nAAAA\n`, 'x', 'v')).message).toMatch(/damaged: too short/);
    expect(errorOf(() => decryptVault(`${VAULT_HEADER}\n!!!\n`, 'x', 'v')).message).toMatch(/damaged: its body is not base64/);
    expect(errorOf(() => decryptVault('$ANSIBLE_VAULT;1.1;AES256\n6162\n', 'x', 'v')).message).toMatch(/not a provision vault/);
  });

  it('refuses an empty password', () => {
    expect(errorOf(() => encryptVault(PLAIN, '')).message).toMatch(/empty/);
  });
});
