// Ansible's boolean words, in one place, so that module arguments, task and play keywords, key=value
// arguments and variables such as ansible_become all accept the same set: yes/no, true/false, on/off
// and 1/0, compared case-insensitively (module_utils/parsing/convert_bool.py, without its y/n/t/f).

import { z } from 'zod';

const TRUE_WORDS: ReadonlySet<string> = new Set(['yes', 'true', 'on', '1']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['no', 'false', 'off', '0']);

/** true/false for a boolean, the numbers 1/0 or one of the words; undefined for anything else. */
export function parseYesNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return undefined;
}

/** A boolean argument or keyword that also takes the words; anything else is "expected boolean". */
export const yesNo = () => z.preprocess((v) => parseYesNo(v) ?? v, z.boolean());
