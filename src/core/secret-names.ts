// Which variable names hold secrets: one rule, used by the engine (values to mask) and by the docs.
// A name is secret when it ends like a password, a token or a private key, and the connection
// variables Ansible users set (ansible_password, ansible_ssh_pass, ansible_become_pass, ...) all do.

/** `*password`, `*passwd`, `*pass` (as a word), `*secret`, `*token`, and private/API/secret/access keys. */
const SECRET_NAME = /(password|passwd|(^|_)pass|secret|token|(private|secret|api|access|signing|encryption)_?key)$/i;

/** Connection variables that carry a password although no rule above would say so. */
const SECRET_ALIASES = new Set(['ansible_sudo_pass', 'ansible_become_pass', 'ansible_ssh_pass', 'ansible_password', 'ansible_become_password']);

export function isSecretName(name: string): boolean {
  return SECRET_ALIASES.has(name) || SECRET_NAME.test(name);
}
