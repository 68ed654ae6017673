// The rules that decide what is secret: names, values inside structures, templated values as
// rendered, a no_log task's output, and the previous secret on the old side of a diff.

import { describe, expect, it } from 'vitest';
import { isSecretName } from '../../../src/core/secret-names.js';
import { noLogValues, previousSecrets, secretValues } from '../../../src/engine/secrets.js';

describe('isSecretName', () => {
  it.each(['db_password', 'PASSWORD', 'root_passwd', 'smtp_pass', 'ansible_become_pass', 'ansible_ssh_pass', 'ansible_password', 'ansible_sudo_pass', 'app_session_secret', 'api_token', 'tls_private_key', 'aws_secret_key', 'api_key', 'privatekey'])(
    '%s is secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(['bypass', 'compass', 'passenger_root', 'ssh_public_key', 'key', 'sort_key', 'ansible_ssh_private_key_file', 'password_min_length', 'tokens_enabled', 'user'])(
    '%s is not',
    (name) => expect(isSecretName(name)).toBe(false),
  );
});

describe('secretValues', () => {
  it('finds secret-named values at any depth, lists of mappings included', () => {
    const vars = { user: 'app', db_password: 's1', mysql: { root_password: 42 }, users: [{ name: 'alice', password: 's2' }], tokens: ['x'] };
    expect(secretValues(vars).sort()).toEqual(['42', 's1', 's2']);
  });

  it('renders a templated secret, and skips it when there is no renderer', () => {
    const vars = { x_password: "<%= 'a' + 'b' %>" };
    expect(secretValues(vars)).toEqual([]);
    expect(secretValues(vars, () => 'rendered-ab')).toEqual(['rendered-ab']);
    expect(secretValues(vars, () => { throw new Error('undefined'); })).toEqual([]);
  });

  it('a secret-named registered result gives its output, not its flags or exit code', () => {
    const vars = { reg_token: { changed: true, rc: 0, stdout: 'tok-9', stdout_lines: ['tok-9'], cmd: 'cat /x' } };
    expect(secretValues(vars)).toEqual(['tok-9', 'tok-9']);
  });
});

describe('noLogValues', () => {
  it("gives a no_log result's output, its loop items and its facts", () => {
    const data = { changed: true, failed: false, rc: 0, stdout: 'out-1', stderr: '', results: [{ changed: false, item: 'it-2', msg: 'm-3' }] };
    expect(noLogValues(data, { made: 'fact-4' }).sort()).toEqual(['fact-4', 'it-2', 'm-3', 'out-1']);
  });
});

describe('previousSecrets', () => {
  const secretsIn = (known: string[]) => (text: string) => known.filter((s) => text.includes(s));

  it('finds the old value where the new line has a known secret, with the same text around it', () => {
    const diff = { before: 'user = app\npassword = OLD1 # x\n', after: 'user = app\npassword = NEW1 # x\n' };
    expect(previousSecrets(diff, secretsIn(['NEW1']))).toEqual(['OLD1']);
  });

  it('a line that is a secret alone makes the old line at the same place secret', () => {
    expect(previousSecrets({ before: 'OLD2\n', after: 'NEW2\n' }, secretsIn(['NEW2']))).toEqual(['OLD2']);
  });

  it('finds nothing when the new side holds no secret', () => {
    expect(previousSecrets({ before: 'a = 1\n', after: 'a = 2\n' }, secretsIn(['NEW']))).toEqual([]);
  });
});

describe('previousSecrets, only on changed lines', () => {
  it('a line both sides share is never taken for a previous secret', () => {
    const diff = { before: '"a"\n"OLD3"\n', after: '"a"\n"NEW3"\n' };
    expect(previousSecrets(diff, (text) => (text.includes('NEW3') ? ['NEW3'] : []))).toEqual(['OLD3']);
  });
});
