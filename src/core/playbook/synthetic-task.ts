// A task provision makes itself (an ad-hoc `exec`, fact gathering): every keyword at the default the
// loader gives a task that sets none, so such a task cannot differ from a written one by accident.

import type { SourceLocation } from '../errors.js';
import type { Task } from './types.js';

type Required = Pick<Task, 'name' | 'module' | 'args' | 'baseDir'> & { location: SourceLocation };

export function syntheticTask(task: Required & Partial<Task>): Task {
  return {
    vars: {},
    when: [],
    loopVar: 'item',
    notify: [],
    tags: [],
    ignoreErrors: false,
    noLog: false,
    retries: 0,
    delaySeconds: 0,
    runOnce: false,
    ...task,
  };
}
