// The task_start event of a task or handler (one shape for the play runner and the step walker).

import type { Play, Task } from '../core/playbook/types.js';

export function taskStartEvent(play: Play, task: Task, hosts: string[], handler: boolean) {
  const loc = task.location;
  return {
    type: 'task_start' as const,
    play: play.name,
    task: task.name,
    hosts,
    handler,
    location: loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file,
  };
}
