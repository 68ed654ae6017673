// blockinfile: keep a block of lines between two marker lines; see blockinfile-edit.ts for the rules.

import { z } from 'zod';
import { argSpec, PATH_ALIASES } from './arg-spec.js';
import { attributeArgs, bool, validateArg } from './args.js';
import { editBlock } from './blockinfile-edit.js';
import { planEdit } from './edit-file.js';
import { backupFrom } from './write-file.js';
import { isValidPyRegExp } from './pyregex.js';
import { defineModule } from './types.js';

const regex = () => z.string().refine(isValidPyRegExp, { message: 'invalid regular expression' });

const args = argSpec(
  {
    path: z.string().min(1),
    block: z.string().default(''),
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
  },
  {
    aliases: { ...PATH_ALIASES, block: ['content'] },
    mutuallyExclusive: [['insertafter', 'insertbefore']],
    checks: [[(a) => a.marker.includes('{mark}'), 'marker must contain {mark}, or the begin and end markers would be the same line']],
  },
);

export default defineModule({
  name: 'blockinfile',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.blockinfile'],
  args,
  plan(a, ctx) {
    return planEdit(
      {
        ...a,
        // Unlike lineinfile, Ansible's blockinfile fails on a missing file even with state=absent.
        absentIsOk: false,
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
  interpret(_a, outputs) {
    // Ansible's lineinfile and blockinfile register the backup's name as `backup`.
    const backup = backupFrom(outputs);
    return backup ? { backup } : {};
  },
});
