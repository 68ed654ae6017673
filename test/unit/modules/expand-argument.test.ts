import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expandingCommandLine, expandingWord } from '../../../src/modules/expand-argument.js';

// Each word runs through a real bash with a known environment; the expected words are what
// ansible-core's os.path.expanduser(os.path.expandvars(word)) gives in that environment.
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/home/t', FOO: 'a b*', EMPTY: '' };
const rootHome = execFileSync('getent', ['passwd', 'root'], { encoding: 'utf8' }).split(':')[5] ?? '';

function words(argv: readonly string[]): string[] {
  const out = execFileSync('bash', ['-c', `printf '%s\\0' ${expandingCommandLine(argv)}`], { env, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const cases: [string, string][] = [
  ['$HOME', '/home/t'],
  ['${HOME}/x', '/home/t/x'],
  ['x$HOME', 'x/home/t'],
  ['$HOME$HOME', '/home/t/home/t'],
  ['$FOO', 'a b*'],
  ['$EMPTY', ''],
  ['$UNSET_NAME', '$UNSET_NAME'],
  ['${UNSET_NAME}', '${UNSET_NAME}'],
  ['${UNSET_NAME}/x', '${UNSET_NAME}/x'],
  ['~', '/home/t'],
  ['~/x y', '/home/t/x y'],
  ['~root/x', `${rootHome}/x`],
  ['~no-such-user-here/x', '~no-such-user-here/x'],
  ['~-', '~-'],
  ['a~', 'a~'],
  ['${not a name}', '${not a name}'],
  ["it's `id` $(id) ;|>", "it's `id` $(id) ;|>"],
  ['', ''],
  ['*', '*'],
];

describe('expandingWord', () => {
  it.each(cases)('%s → %s', (word, expected) => {
    expect(words([word])).toEqual([expected]);
  });
  it('keeps every word one word', () => {
    expect(words(['$FOO', '~', 'x'])).toEqual(['a b*', '/home/t', 'x']);
  });
  it('quotes plain words as before', () => {
    expect(expandingWord('ls')).toBe('ls');
    expect(expandingWord('a b')).toBe("'a b'");
  });
});
