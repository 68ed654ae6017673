// `notify:` must name a handler (by name, `role : name`, or a `listen` topic) of the same play.

import { InputError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Handler, Task } from './types.js';

export function checkNotifications(tasks: readonly Task[], handlers: readonly Handler[]): InputError[] {
  const topics = new Set(handlers.flatMap((h) => h.listen));
  const errors: InputError[] = [];
  for (const task of tasks) {
    task.notify.forEach((name, i) => {
      if (name.includes('<%') || topics.has(name)) return;
      const loc = task.locations?.[`notify.${i}`] ?? task.locations?.notify ?? task.location;
      const hint = didYouMean(name, topics) ?? (topics.size ? `handlers of this play: ${[...topics].join(', ')}` : 'this play has no handlers');
      errors.push(new InputError(`notify names no handler or listen topic: '${name}'`, loc, hint));
    });
  }
  return errors;
}
