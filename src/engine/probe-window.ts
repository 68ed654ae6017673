// Which tasks a host may plan ahead, together with the one it is about to plan (plan-prefetch.ts).
// Only tasks whose plan is a pure function of their arguments, variables and probes, in the order they
// run when nothing fails (into a block, and past it when it has no rescue or always): an include, a
// task that is not selected, or a block's rescue or always ends the window, and
// so does a task that waits, retries or runs elsewhere (its plan is not one read of this host at one
// instant). A loop joins with each of its items when they can be planned together (canPlanItemsAhead:
// mysql_user over every server's address is one read). A task that sets variables (register, set_fact)
// does not end a window: the plans after it that read no variables beyond their arguments still hold
// after it, and the others are planned again (plan-prefetch.ts). A task that acts every time it runs
// (a command with no creates) is the last of a window: the host may have changed after it, so the
// plans after it would be dropped, and probing for them would only cost the host processes.

import type { Step, Task } from '../core/playbook/types.js';
import type { ModuleDefinition } from '../modules/types.js';

/** The task, with its module, can be planned ahead: the module says so and no keyword makes it more than one plan here. */
export function canPlanAhead(task: Task, module: ModuleDefinition | undefined): boolean {
  return module?.prefetchable === true && task.loop === undefined && task.until === undefined && task.delegateTo === undefined && !task.runOnce;
}

/**
 * The items of the task's loop can be planned ahead, together: the module plans from probes and
 * sets no variables (set_fact's items see what the items before set), and no keyword makes an
 * item more than one plan here, or waits between items.
 */
export function canPlanItemsAhead(task: Task, module: ModuleDefinition | undefined): boolean {
  return module?.prefetchable === true && module.definesVariables === undefined && task.until === undefined && task.delegateTo === undefined && !task.runOnce && !task.loopPause;
}

/** The task may be in a window after the one being planned: as one plan, or as its loop's items. */
export function canJoinWindow(task: Task, module: ModuleDefinition | undefined): boolean {
  return task.loop === undefined ? canPlanAhead(task, module) : canPlanItemsAhead(task, module);
}

/** The task executes actions whenever it runs (its module says so of its arguments), unless in check mode. */
export function actsEveryTime(task: Task, module: ModuleDefinition | undefined, check: boolean): boolean {
  const args = task.args;
  if (task.checkMode ?? check) return false;
  return module?.actsEveryTime !== undefined && typeof args === 'object' && args !== null && !Array.isArray(args) && module.actsEveryTime(args as Record<string, unknown>);
}

/**
 * The tasks right after a step that may be planned with it: at most `size - 1` of them (the window
 * counts the task about to be planned), stopping at the first step that is not such a task, and
 * after the first that acts every time. A block's own tasks come next (its keywords are on each of
 * them), and the steps after it when it has no rescue or always: what runs then depends on failures.
 */
export function tasksAhead(following: Iterable<Step>, size: number, plannable: (task: Task) => boolean, acts: (task: Task) => boolean): Task[] {
  const tasks: Task[] = [];
  /** Takes tasks from `steps`; false once the window ends. */
  const take = (steps: Iterable<Step>): boolean => {
    for (const step of steps) {
      if (tasks.length >= size - 1) return false;
      if (step.kind === 'block') {
        if (!take(step.block) || step.rescue.length > 0 || step.always.length > 0) return false;
        continue;
      }
      if (step.kind !== 'task' || !plannable(step.task)) return false;
      tasks.push(step.task);
      if (acts(step.task)) return false;
    }
    return true;
  };
  take(following);
  return tasks;
}
