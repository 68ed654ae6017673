// Walking the task tree (tasks, blocks, dynamic includes) for the places that need every task as a
// flat list: validation, notify checks, --list-tasks, --start-at-task lookup.

import type { Step, Task } from './types.js';

/** Every task below `steps`, in source order: block, rescue and always sections, includes known at load time. */
export function leafTasks(steps: readonly Step[]): Task[] {
  return steps.flatMap((step): Task[] => {
    switch (step.kind) {
      case 'task':
        return [step.task];
      case 'block':
        return leafTasks([...step.block, ...step.rescue, ...step.always]);
      case 'include':
        return [step.task, ...leafTasks(step.preloaded?.steps ?? [])];
    }
  });
}

/** Wraps plain tasks as steps. */
export function taskSteps(tasks: readonly Task[]): Step[] {
  return tasks.map((task) => ({ kind: 'task', task }));
}
