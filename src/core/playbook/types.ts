// The validated playbook model. Everything here was checked before any host is touched.
// Values inside args/vars may still hold EJS templates; they are rendered per host at run time.

import type { SourceLocation } from '../errors.js';

/** A role's variable scope and file lookup paths, attached to each of its tasks. */
export interface RoleContext {
  name: string;
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  /** Params given where the role is listed (`- role: x\n  vars: {...}` or inline keys). */
  params: Record<string, unknown>;
}

export interface Task {
  /** Display name: `name:` or `module arg-summary`; prefixed `role : ` for role tasks. */
  name: string;
  module: string;
  /** Raw (validated when not templated) module arguments. */
  args: unknown;
  vars: Record<string, unknown>;
  when: string[];
  loop?: unknown;
  loopVar: string;
  /** loop_control.label: what reports show for each item (may hold a template). */
  loopLabel?: string;
  /** loop_control.index_var: variable holding the item's 0-based index. */
  loopIndexVar?: string;
  /** loop_control.pause: seconds to wait between two items (not before the first). */
  loopPause?: number;
  /** Loop variables of enclosing dynamic includes (known only at run time; validation treats them as defined). */
  includeLoopVars?: string[];
  register?: string;
  notify: string[];
  tags: string[];
  become?: boolean;
  becomeUser?: string;
  ignoreErrors: boolean;
  changedWhen?: string[];
  failedWhen?: string[];
  noLog: boolean;
  until?: string;
  /** A number, or a template rendered per host when the task runs. */
  retries: number | string;
  delaySeconds: number | string;
  runOnce: boolean;
  delegateTo?: string;
  /** check_mode: false forces execution in --check (Ansible semantics). */
  checkMode?: boolean;
  role?: RoleContext;
  /** Directory relative paths (copy src, template src) resolve against, besides the role's. */
  baseDir: string;
  location: SourceLocation;
  /**
   * Locations of templated values and conditions, keyed by dotted path in this model:
   * 'args.src', 'when.0', 'changed_when.1', 'until', 'loop', 'delegate_to', 'name'.
   * Use locateInTask() (src/core/playbook/locate.ts); falls back to `location`.
   */
  locations?: Record<string, SourceLocation>;
}

export interface Handler extends Task {
  /** Names a handler answers to: its name and its `listen` topics. */
  listen: string[];
}

/** One entry of a task list as the engine walks it: a task, a block, or a dynamic include. */
export type Step = TaskStep | BlockStep | IncludeStep;

export interface TaskStep {
  kind: 'task';
  task: Task;
}

/**
 * block/rescue/always (Ansible's semantics): a host that fails in `block` runs `rescue` (and is no longer
 * failed if rescue succeeds); `always` runs in every case. The block's keywords (when, tags, vars,
 * become, ignore_errors, ...) were already given to every task below it when the playbook loaded.
 */
export interface BlockStep {
  kind: 'block';
  name?: string;
  block: Step[];
  rescue: Step[];
  always: Step[];
  location: SourceLocation;
}

/**
 * A dynamic `include_tasks`: `task` is the include itself (its name, when, loop, loop_control, tags,
 * location; `args.file` the file name, maybe templated), evaluated per host when the run reaches it.
 */
export interface IncludeStep {
  kind: 'include';
  task: Task;
  /** Loads the file named (as rendered for a host) with the include's scope; throws InputError(s). */
  load(fileName: string): Step[];
  /** The file loaded when the playbook loaded, when its name is not templated (validated up front). */
  preloaded?: { fileName: string; steps: Step[] };
}

export interface Play {
  name: string;
  hosts: string;
  become: boolean;
  becomeUser?: string;
  vars: Record<string, unknown>;
  /** What the engine runs: pre_tasks, role tasks (dependencies first), tasks, post_tasks in order. */
  body: Step[];
  /** Every task of `body`, blocks and statically known includes flattened (what validation checks). */
  tasks: Task[];
  handlers: Handler[];
  /** Batch sizes: a number, a percentage string, or a list of either. */
  serial?: (number | string)[];
  strategy: 'linear' | 'free';
  gatherFacts: boolean;
  /** Roles of this play, dependencies resolved, in run order. */
  roles: RoleContext[];
  /** Play-level tags (already added to every task's tags). */
  tags?: string[];
  location: SourceLocation;
  /** Where `hosts:` is written (for host pattern errors). */
  hostsLocation?: SourceLocation;
}

export interface Playbook {
  path: string;
  dir: string;
  plays: Play[];
}
