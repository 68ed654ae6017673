// Which tasks a run selects: --tags / --skip-tags with Ansible's special tags.

import type { Task } from '../core/playbook/types.js';

export function tagsSelect(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  const has = (t: string): boolean => taskTags.includes(t);
  if (skipTags.some((t) => has(t) || (t === 'tagged' && taskTags.length > 0) || (t === 'untagged' && taskTags.length === 0))) {
    return false;
  }
  if (has('always')) return true;
  if (tags.length === 0 || tags.includes('all')) return !has('never');
  return tags.some((t) => has(t) || (t === 'tagged' && taskTags.length > 0) || (t === 'untagged' && taskTags.length === 0));
}

/** Ansible matches --start-at-task against the task name, with or without its role prefix. */
export function matchesTaskName(task: Task, wanted: string): boolean {
  if (task.name === wanted) return true;
  const bare = task.role ? task.name.slice(task.role.name.length + 3) : task.name;
  return bare === wanted;
}
