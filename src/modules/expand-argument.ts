// ansible-core's command module (module_utils run_command, expand_user_and_vars) passes every word
// through os.path.expandvars and then os.path.expanduser on the managed host. provision builds the
// bash words that do the same there: `$NAME`/`${NAME}` become the variable's value when it is set and
// stay as written when it is not, and a leading `~` or `~user` becomes that home directory (an unknown
// user is left as written). Everything else is quoted, so the word is never split, globbed or run.

import { quote } from '../core/shell.js';

// Python's posixpath._varprog (ASCII \w); only names bash can read are expanded.
const VARIABLE = /\$(\w+|\{[^}]*\})/g;
const BASH_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A login name bash's tilde expansion reads (not ~+, ~- or ~N, which mean directories to bash).
const TILDE_USER = /^(?:[A-Za-z_.][A-Za-z0-9_.-]*)?$/;

/** The bash text for one word of `command`, expanded on the host as ansible-core expands it. */
export function expandingWord(word: string): string {
  let out = '';
  let rest = word;
  if (word.startsWith('~')) {
    const slash = word.indexOf('/', 1);
    const prefix = slash === -1 ? word : word.slice(0, slash);
    if (TILDE_USER.test(prefix.slice(1))) {
      // The tilde prefix and the slash after it stay unquoted: bash expands only an unquoted prefix.
      out = slash === -1 ? prefix : `${prefix}/`;
      rest = slash === -1 ? '' : word.slice(slash + 1);
    }
  }
  let last = 0;
  for (const m of rest.matchAll(VARIABLE)) {
    const braced = (m[1] ?? '').startsWith('{');
    const name = braced ? (m[1] ?? '').slice(1, -1) : (m[1] ?? '');
    if (!BASH_NAME.test(name)) continue;
    if (m.index > last) out += quote(rest.slice(last, m.index));
    // Unset: the text as written (`\$` and `\}` are literal inside the double-quoted expansion).
    out += braced ? `"\${${name}-\\\${${name}\\}}"` : `"\${${name}-\\$${name}}"`;
    last = m.index + m[0].length;
  }
  if (last < rest.length) out += quote(rest.slice(last));
  return out === '' ? "''" : out;
}

/** A command line running `argv` with each word expanded as ansible-core's command module does. */
export function expandingCommandLine(argv: readonly string[]): string {
  return argv.map(expandingWord).join(' ');
}
