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

/** Ansible matches --start-at-task against the task name, with or without its role prefix, as a glob. */
export function matchesTaskName(task: Task, wanted: string): boolean {
  const bare = task.role ? task.name.slice(task.role.name.length + 3) : task.name;
  if (task.name === wanted || bare === wanted) return true;
  if (!/[*?[]/.test(wanted)) return false;
  const glob = globRegExp(wanted);
  return glob.test(task.name) || glob.test(bare);
}

/** fnmatch-style glob: `*`, `?`, `[abc]`; everything else literal. */
function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[' && pattern.indexOf(']', i + 1) > i) {
      const end = pattern.indexOf(']', i + 1);
      const body = pattern.slice(i + 1, end);
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
