// set_fact: host variables for the rest of the run (values already templated by the engine).

import { z } from 'zod';
import { bool } from './args.js';
import { defineModule } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const args = z
  .record(z.string(), z.unknown())
  .superRefine((obj, ctx) => {
    for (const key of Object.keys(obj)) {
      if (key !== 'cacheable' && !IDENTIFIER.test(key)) ctx.addIssue({ code: 'custom', message: `'${key}' is not a valid variable name`, path: [key] });
    }
    if (Object.keys(obj).filter((k) => k !== 'cacheable').length === 0) ctx.addIssue({ code: 'custom', message: 'set_fact needs at least one variable' });
    if ('cacheable' in obj && !bool().safeParse(obj.cacheable).success) ctx.addIssue({ code: 'custom', message: 'cacheable must be a boolean', path: ['cacheable'] });
  });

export default defineModule({
  name: 'set_fact',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.set_fact'],
  args,
  definesVariables: (raw) => (raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw).filter((k) => k !== 'cacheable') : []),
  async plan(a) {
    // cacheable is accepted for compatibility; facts live for the run only.
    const { cacheable: _cacheable, ...facts } = a;
    return { actions: [], facts, result: { ansible_facts: facts } };
  },
});
