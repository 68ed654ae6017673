// assert: fail unless every condition holds.
//
// `that` is declared a condition argument: the engine evaluates it before calling the module
// (conditions are expressions over the task's variables, like `when`), so plan() receives booleans. Strings are accepted by the schema only so
// that playbook validation, which runs before any evaluation, accepts the task; a string reaching
// plan() means the engine did not evaluate it, and fails loudly.

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { bool } from './args.js';
import { defineModule } from './types.js';

const condition = z.union([z.boolean(), z.string().min(1)]);

const args = argSpec(
  {
    that: z.union([condition, z.array(condition).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    fail_msg: z.string().optional(),
    success_msg: z.string().optional(),
    quiet: bool().default(false),
  },
  { aliases: { fail_msg: ['msg'] } },
);

export default defineModule({
  name: 'assert',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.assert'],
  args,
  conditionArgs: ['that'],
  async plan(a) {
    for (const [i, value] of a.that.entries()) {
      if (typeof value === 'string') return { actions: [], failed: `internal: condition that[${i}] '${value}' was not evaluated by the engine` };
      if (!value) {
        return { actions: [], failed: a.fail_msg ?? 'Assertion failed', result: { assertion: `that[${i}]`, evaluated_to: false } };
      }
    }
    return { actions: [], result: a.quiet ? {} : { msg: a.success_msg ?? 'All assertions passed' } };
  },
});
