// template: render an EJS file from the role's templates/ with the task's variables, then write it
// exactly as copy does (hash compare, atomic put, validate, diff).

import { posix } from 'node:path';
import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { attributeArgs, bool, validateArg } from './args.js';
import { defineModule } from './types.js';
import { backupFrom, planWrite } from './write-file.js';

const args = argSpec({
  src: z.string().min(1),
  dest: z.string().min(1),
  backup: bool().default(false),
  force: bool().default(true),
  validate: validateArg().optional(),
  ...attributeArgs,
});

export default defineModule({
  name: 'template',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.template'],
  args,
  localSource: { arg: 'src', kind: 'templates' },
  async plan(a, ctx) {
    const text = (await ctx.readLocalFile(a.src, 'templates')).toString('utf8');
    const rendered = Buffer.from(await ctx.renderTemplate(text, a.src), 'utf8');
    // A dest directory receives the template's name without its .ejs suffix.
    const sourceName = posix.basename(a.src).replace(/\.ejs$/, '');
    return planWrite({ ...a, content: rendered, sourceName }, ctx);
  },
  interpret(_a, outputs) {
    const backup = backupFrom(outputs);
    return backup ? { backup_file: backup } : {};
  },
});
