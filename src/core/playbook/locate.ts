// Finding where a task's value was written, for errors raised while rendering it per host.

import type { SourceLocation } from '../errors.js';
import type { Task } from './types.js';

/** Location of a value of the task by model path (['args', 'src'], ['when', 0]); the task's location otherwise. */
export function locateInTask(task: Pick<Task, 'location' | 'locations'>, path: readonly (string | number)[]): SourceLocation {
  const locations = task.locations;
  if (locations) {
    for (let n = path.length; n > 0; n--) {
      const loc = locations[path.slice(0, n).join('.')];
      if (loc) return loc;
    }
  }
  return task.location;
}

/** A locator for renderValue(value, vars, locator) over one field of the task (e.g. 'args'). */
export function taskLocator(task: Pick<Task, 'location' | 'locations'>, field: string): (path: readonly (string | number)[]) => SourceLocation {
  return (path) => locateInTask(task, [field, ...path]);
}
