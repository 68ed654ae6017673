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

export interface Play {
  name: string;
  hosts: string;
  become: boolean;
  becomeUser?: string;
  vars: Record<string, unknown>;
  /** pre_tasks, role tasks (dependencies first), tasks, post_tasks in order. */
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
