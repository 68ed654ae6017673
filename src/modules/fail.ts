// fail: stop the host with a message (usually under `when`).

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { defineModule } from './types.js';

const args = argSpec({ msg: z.string().default('Failed as requested from task') });

export default defineModule({
  name: 'fail',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.fail'],
  args,
  async plan(a) {
    return { actions: [], failed: a.msg };
  },
});
