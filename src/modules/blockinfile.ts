// blockinfile: keep a block of lines between two marker lines; see blockinfile-edit.ts for the rules.

import { z } from 'zod';
import { attributeArgs, bool, validateArg } from './args.js';
import { editBlock } from './blockinfile-edit.js';
import { planEdit, onePathAlias, oneInsertionPoint } from './edit-file.js';
import { isValidPyRegExp } from './pyregex.js';
import { defineModule } from './types.js';

const regex = () => z.string().refine(isValidPyRegExp, { message: 'invalid regular expression' });

const args = z
  .object({
    path: z.string().min(1).optional(),
    dest: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    block: z.string().default(''),
    content: z.string().optional(),
    // Ansible's default marker, so that files managed by Ansible keep working unchanged.
    marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK'),
    marker_begin: z.string().default('BEGIN'),
    marker_end: z.string().default('END'),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: regex().optional(),
    insertbefore: regex().optional(),
    create: bool().default(false),
    backup: bool().default(false),
    validate: validateArg().optional(),
    ...attributeArgs,
  })
  .strict()
  .refine(...onePathAlias)
  .refine(...oneInsertionPoint)
  .refine((a) => a.marker.includes('{mark}'), { message: 'marker must contain {mark}, or the begin and end markers would be the same line' })
  .transform(({ dest, name, content, ...rest }) => ({ ...rest, block: content ?? rest.block, path: (rest.path ?? dest ?? name) as string }));

export default defineModule({
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile'],
  args,
  plan(a, ctx) {
    return planEdit(
      {
        ...a,
        absentIsOk: a.state === 'absent',
        edit: (current) =>
          editBlock(current, {
            block: a.block,
            marker: a.marker,
            markerBegin: a.marker_begin,
            markerEnd: a.marker_end,
            state: a.state,
            insertafter: a.insertafter,
            insertbefore: a.insertbefore,
          }),
      },
      ctx,
    );
  },
});
