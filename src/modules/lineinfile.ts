// lineinfile: make sure one line is (or is not) in a text file; see lineinfile-edit.ts for the rules.

import { z } from 'zod';
import { attributeArgs, bool, validateArg } from './args.js';
import { planEdit, onePathAlias, oneInsertionPoint } from './edit-file.js';
import { editLines } from './lineinfile-edit.js';
import { isValidPyRegExp } from './pyregex.js';
import { defineModule } from './types.js';

const regex = () => z.string().refine(isValidPyRegExp, { message: 'invalid regular expression' });

const args = z
  .object({
    path: z.string().min(1).optional(),
    dest: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    line: z.string().optional(),
    regexp: regex().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: regex().optional(),
    insertbefore: regex().optional(),
    create: bool().default(false),
    backrefs: bool().default(false),
    firstmatch: bool().default(false),
    backup: bool().default(false),
    validate: validateArg().optional(),
    ...attributeArgs,
  })
  .strict()
  .refine(...onePathAlias)
  .refine(...oneInsertionPoint)
  .refine((a) => a.state !== 'present' || a.line !== undefined, { message: 'state=present requires line' })
  .refine((a) => a.state !== 'absent' || a.line !== undefined || a.regexp !== undefined, { message: 'state=absent requires line or regexp' })
  .refine((a) => !a.backrefs || a.regexp !== undefined, { message: 'backrefs requires regexp' })
  .transform(({ dest, name, ...rest }) => ({ ...rest, path: (rest.path ?? dest ?? name) as string }));

export default defineModule({
  name: 'lineinfile',
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
});
