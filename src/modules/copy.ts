// copy: write a local file (from the role's files/) or inline `content` to the host, atomically,
// only when its sha256 differs.

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { attributeArgs, bool, validateArg } from './args.js';
import { defineModule } from './types.js';
import { pythonJsonDumps } from './python-json.js';
import { backupFrom, planWrite } from './write-file.js';

const args = argSpec(
  {
    src: z.string().min(1).optional(),
    // A mapping or a list is written as JSON, as Ansible does.
    content: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
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
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.copy'],
  args,
  localSource: { arg: 'src', kind: 'files' },
  async plan(a, ctx) {
    const text = typeof a.content === 'string' || a.content === undefined ? (a.content ?? '') : pythonJsonDumps(a.content);
    const content = a.src !== undefined ? await ctx.readLocalFile(a.src, 'files') : Buffer.from(text, 'utf8');
    return planWrite({ ...a, content, sourceName: a.src }, ctx);
  },
  interpret(_a, outputs) {
    const backup = backupFrom(outputs);
    return backup ? { backup_file: backup } : {};
  },
});
