// copy: write a local file (from the role's files/) or inline `content` to the host, atomically,
// only when its sha256 differs.

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { attributeArgs, bool, validateArg } from './args.js';
import { defineModule } from './types.js';
import { planWrite } from './write-file.js';

const args = argSpec(
  {
    src: z.string().min(1).optional(),
    content: z.string().optional(),
    dest: z.string().min(1),
    backup: bool().default(false),
    force: bool().default(true),
    validate: validateArg().optional(),
    ...attributeArgs,
  },
  { mutuallyExclusive: [['src', 'content']], requiredOneOf: [['src', 'content']] },
);

export default defineModule({
  name: 'copy',
  aliases: ['ansible.builtin.copy'],
  args,
  localSource: { arg: 'src', kind: 'files' },
  async plan(a, ctx) {
    const content = a.src !== undefined ? await ctx.readLocalFile(a.src, 'files') : Buffer.from(a.content ?? '', 'utf8');
    return planWrite({ ...a, content, sourceName: a.src }, ctx);
  },
});
