// The shape of one differential case and of what each tool is observed to do with it.

export interface DiffCase {
  /** Unique name; also shown as the test's title. */
  name: string;
  /** Where the case comes from: an ansible integration target or issue 10. */
  source: string;
  /** bash run in each fresh tree (cwd = the tree) before a first run or a check run. */
  setup?: string;
  /** YAML task list shared by both tools; `@T@` is replaced by the tree's absolute path. */
  tasks?: string;
  /** Tool-specific task lists, only where the syntax differs (EJS vs Jinja). */
  provisionTasks?: string;
  ansibleTasks?: string;
  /**
   * YAML handler list (and tool-specific ones), `@T@` replaced as in tasks. On the ansible side every
   * case's handlers share one play, so a handler's name must be unique among all cases.
   */
  handlers?: string;
  provisionHandlers?: string;
  ansibleHandlers?: string;
  /** Ansible's first run is expected to fail (otherwise a failure there means the case is broken). */
  ansibleFails?: boolean;
  /**
   * A documented, deliberate difference: `doc` is text that docs/MODULES.md must contain, and `diff`
   * the exact differences the comparison must find (so the test fails if either tool changes).
   */
  difference?: { doc: string; diff: string[] };
}

/** One task-level status per task that ran, in order: ok, changed, failed, skipped. */
export type Statuses = string[];

export interface Observation {
  run: Statuses;
  /** Tree after the first run. */
  tree: string[];
  rerun: Statuses;
  /** Tree after the second run. */
  retree: string[];
  check: Statuses;
  /** Tree after a --check run on a fresh tree. */
  checkTree: string[];
}

export function tasksFor(c: DiffCase, tool: 'provision' | 'ansible'): string {
  const text = (tool === 'provision' ? c.provisionTasks : c.ansibleTasks) ?? c.tasks;
  if (text === undefined) throw new Error(`case '${c.name}' has no tasks for ${tool}`);
  return text;
}

export function handlersFor(c: DiffCase, tool: 'provision' | 'ansible'): string | undefined {
  return (tool === 'provision' ? c.provisionHandlers : c.ansibleHandlers) ?? c.handlers;
}
