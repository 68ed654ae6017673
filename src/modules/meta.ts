// meta: asks the play runner to change the order of the run instead of touching the host, through
// the plan's typed `control` request (the engine never looks at the module's name): run the notified
// handlers now, or end the play for this host, for the batch, or for every batch. As in Ansible,
// meta results are not counted in the recap, meta cannot loop, and check mode changes nothing.

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { defineModule, type ControlRequest } from './types.js';

const noop = 'noop';
const requests = ['flush_handlers', 'end_host', 'end_batch', 'end_play'] as const satisfies readonly ControlRequest[];

const args = argSpec({ free_form: z.enum([...requests, noop]) }, { labels: { free_form: 'the meta action' } });

const messages: Readonly<Record<ControlRequest, string>> = {
  flush_handlers: 'running the notified handlers',
  end_host: 'ending the play for this host',
  end_batch: 'ending the batch',
  end_play: 'ending the play',
};

const perItem = 'meta acts once per host, not per loop item';

export default defineModule({
  name: 'meta',
  aliases: ['ansible.builtin.meta'],
  args,
  freeForm: 'free_form',
  uncounted: true,
  notAHandler: 'meta changes the order tasks run in, and handlers run after the tasks (as Ansible refuses it)',
  refusedKeywords: { loop: perItem, with_items: perItem, until: 'meta has no result to retry on', register: 'meta has no result to register', notify: 'meta never changes anything' },
  async plan(a) {
    if (a.free_form === noop) return { actions: [] };
    return { actions: [], control: a.free_form, result: { msg: messages[a.free_form] } };
  },
});
