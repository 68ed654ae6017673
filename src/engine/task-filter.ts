// Which tasks a run selects: --tags / --skip-tags with Ansible's special tags.

import type { Task } from '../core/playbook/types.js';

export function tagsSelect(taskTags: readonly string[], tags: readonly string[], skipTags: readonly string[]): boolean {
  // Ansible's Taggable.evaluate_tags: a task without tags has the tag 'untagged'; 'never' tasks run
  // only when one of their tags is asked for by name; 'always' tasks unless skipped by name.
  const tagged = taskTags.length > 0;
  const has = (t: string): boolean => (tagged ? taskTags.includes(t) : t === 'untagged');
  const only = tags.length > 0 ? tags : ['all'];
  const selected =
    has('always') ||
    (only.includes('all') && !has('never')) ||
    only.some(has) ||
    (only.includes('tagged') && tagged && !has('never'));
  if (!selected) return false;
  if (skipTags.includes('all')) return has('always') && !skipTags.includes('always');
  return !(skipTags.some(has) || (skipTags.includes('tagged') && tagged));
}

/** Ansible matches --start-at-task against the task name, with or without its role prefix. */
export function matchesTaskName(task: Task, wanted: string): boolean {
  if (task.name === wanted) return true;
  const bare = task.role ? task.name.slice(task.role.name.length + 3) : task.name;
  return bare === wanted;
}
