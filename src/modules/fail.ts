// fail: stop the host with a message (usually under `when`).

import { z } from 'zod';
import { defineModule } from './types.js';

const args = z.object({ msg: z.string().default('Failed as requested from task') }).strict();

export default defineModule({
  name: 'fail',
  aliases: ['ansible.builtin.fail'],
  args,
  async plan(a) {
    return { actions: [], failed: a.msg };
  },
});
