// lineinfile: make sure one line is (or is not) in a text file; see lineinfile-edit.ts for the rules.

import { z } from 'zod';
import { argSpec, PATH_ALIASES } from './arg-spec.js';
import { attributeArgs, bool, validateArg } from './args.js';
import { planEdit } from './edit-file.js';
import { backupFrom } from './write-file.js';
import { editLines } from './lineinfile-edit.js';
import { isValidPyRegExp } from './pyregex.js';
import { defineModule } from './types.js';

const regex = () => z.string().refine(isValidPyRegExp, { message: 'invalid regular expression' });

const args = argSpec(
  {
    path: z.string().min(1),
    line: z.string().optional(),
    regexp: regex().optional(),
    search_string: z.string().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: regex().optional(),
    insertbefore: regex().optional(),
    create: bool().default(false),
    backrefs: bool().default(false),
    firstmatch: bool().default(false),
    backup: bool().default(false),
    validate: validateArg().optional(),
    ...attributeArgs,
  },
  {
    aliases: PATH_ALIASES,
    mutuallyExclusive: [
      ['insertafter', 'insertbefore'],
      ['regexp', 'search_string'],
      ['backrefs', 'search_string'],
    ],
    requiredIf: [
      ['state', 'present', ['line']],
      ['state', 'absent', ['line', 'regexp', 'search_string'], 'any'],
      ['backrefs', true, ['regexp']],
    ],
  },
);

export default defineModule({
  name: 'lineinfile',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.lineinfile'],
  args,
  plan(a, ctx) {
    return planEdit(
      {
        ...a,
        absentIsOk: a.state === 'absent',
        edit: (current) => editLines(current, a),
      },
      ctx,
    );
  },
  interpret(_a, outputs) {
    // Ansible's lineinfile and blockinfile register the backup's name as `backup`.
    const backup = backupFrom(outputs);
    return backup ? { backup } : {};
  },
});
