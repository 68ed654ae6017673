// `provision vault` through the real CLI: encrypt, view, decrypt, rekey and edit a file, with the
// password from a file or the environment; wrong passwords and tampered files give a clear error
// (exit 4, no stack), and a run that meets a vault it cannot open stops before any host.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStack, provision, ROOT, tempDir } from './cli.js';

const VAULT_HEADER = '$PROVISION_VAULT;1;AES256-GCM;SCRYPT-N32768-R8-P1';
const PLAIN = 'db_password: clear-Q7\nport: 3306\n';

describe('provision vault', { timeout: 60_000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  let file: string;
  let passFile: string;
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return provision(args, { home: tmp.dir, cwd: tmp.dir });
    } finally {
      process.env = saved;
    }
  };

  beforeAll(() => {
    ensureBuilt();
    tmp = tempDir();
    file = join(tmp.dir, 'secrets.yaml');
    passFile = join(tmp.dir, 'pass');
    writeFileSync(file, PLAIN);
    writeFileSync(passFile, 'pw-one\n');
  });
  afterAll(() => tmp.cleanup());

  it('encrypt replaces the file with a vault; view shows the text', () => {
    const r = cli(['vault', 'encrypt', file, '--vault-password-file', passFile]);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`${VAULT_HEADER}\n`)).toBe(true);
    expect(text).not.toContain('clear-Q7');
    expect(cli(['vault', 'view', file, '--vault-password-file', passFile]).stdout).toBe(PLAIN);
    expect(cli(['vault', 'view', file], { PROVISION_VAULT_PASSWORD: 'pw-one' }).stdout).toBe(PLAIN);
  });

  it('a wrong password and a tampered file are clear errors', () => {
    const wrong = cli(['vault', 'view', file], { PROVISION_VAULT_PASSWORD: 'pw-two' });
    expectNoStack(wrong);
    expect(wrong.status).toBe(4);
    expect(wrong.stderr).toBe(`error: ${file}: cannot decrypt the vault: wrong vault password, or the file was modified\n`);
    const text = readFileSync(file, 'utf8');
    const tampered = join(tmp.dir, 'tampered.yaml');
    const lines = text.split('\n');
    lines[1] = `${lines[1]?.[0] === 'A' ? 'B' : 'A'}${lines[1]?.slice(1)}`;
    writeFileSync(tampered, lines.join('\n'));
    const bad = cli(['vault', 'view', tampered, '--vault-password-file', passFile]);
    expectNoStack(bad);
    expect(bad.status).toBe(4);
    expect(bad.stderr).toMatch(/the file was modified/);
  });

  it('without a password source or a terminal, it says how to give one', () => {
    const r = cli(['vault', 'view', file]);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/--vault-password-file FILE or set PROVISION_VAULT_PASSWORD/);
  });

  it('rekey changes the password', () => {
    const r = cli(['vault', 'rekey', file, '--vault-password-file', passFile], { PROVISION_NEW_VAULT_PASSWORD: 'pw-new' });
    expect(r.status, r.stderr).toBe(0);
    expect(cli(['vault', 'view', file], { PROVISION_VAULT_PASSWORD: 'pw-new' }).stdout).toBe(PLAIN);
    expect(cli(['vault', 'view', file, '--vault-password-file', passFile]).status).toBe(4);
  });

  it('edit runs $EDITOR on a clear copy and encrypts what it saved', () => {
    const editor = join(tmp.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\necho "added: yes" >> "$1"\n', { mode: 0o755 });
    const r = cli(['vault', 'edit', file], { PROVISION_VAULT_PASSWORD: 'pw-new', EDITOR: editor, VISUAL: '' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain('added');
    expect(cli(['vault', 'view', file], { PROVISION_VAULT_PASSWORD: 'pw-new' }).stdout).toBe(`${PLAIN}added: yes\n`);
  });

  it('decrypt writes the text back', () => {
    const r = cli(['vault', 'decrypt', file], { PROVISION_VAULT_PASSWORD: 'pw-new' });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${PLAIN}added: yes\n`);
    expect(cli(['vault', 'decrypt', file], { PROVISION_VAULT_PASSWORD: 'pw-new' }).stderr).toMatch(/not encrypted/);
  });

  it('a run that meets a vault with the wrong password stops before any host', () => {
    const dir = join(ROOT, 'test/fixtures/secrets');
    const r = cli(['run', join(dir, 'every-secret.yaml'), '-i', join(dir, 'inventory.yaml'), '-e', 'tmp=/nonexistent', '-e', 'cli_token=x', '--no-retry-file'], { PROVISION_VAULT_PASSWORD: 'not-it' });
    expectNoStack(r);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/(box1|vaulted)\.yaml: cannot decrypt the vault: wrong vault password/);
    expect(r.stdout).toBe('');
  });
});
