// What a task inherits from where it is written: its play, role, include or block.

import type { SourceLocation } from '../errors.js';
import type { ModuleDefinition } from '../../modules/types.js';
import type { Problems } from './problems.js';
import type { RoleContext } from './types.js';

export interface InheritedCondition {
  expr: string;
  loc: SourceLocation;
}

export interface TaskScope {
  playbookDir: string;
  modules: ReadonlyMap<string, ModuleDefinition>;
  problems: Problems;
  /** Loading handlers (`listen` allowed, names answer notify). */
  handlers: boolean;
  role?: RoleContext;
  /** Conditions of enclosing roles, includes and blocks (checked before the task's own). */
  when: InheritedCondition[];
  tags: string[];
  /** Block vars: below the task's own vars. */
  varsBelow: Record<string, unknown>;
  /** Include params: above the task's own vars (Ansible's precedence). */
  varsAbove: Record<string, unknown>;
  become?: boolean;
  becomeUser?: string;
  /** Block keywords given to every task below (a task's own keyword wins). */
  ignoreErrors?: boolean;
  noLog?: boolean;
  checkMode?: boolean;
  /** Loop variables of enclosing dynamic includes (defined only at run time). */
  loopVars?: string[];
  /** Files being included, outermost first (cycle detection). */
  fileStack: string[];
}

export function childScope(scope: TaskScope, add: Partial<Omit<TaskScope, 'playbookDir' | 'modules' | 'problems' | 'handlers'>>): TaskScope {
  return {
    ...scope,
    ...add,
    when: [...scope.when, ...(add.when ?? [])],
    tags: [...new Set([...scope.tags, ...(add.tags ?? [])])],
    varsBelow: { ...scope.varsBelow, ...add.varsBelow },
    varsAbove: { ...scope.varsAbove, ...add.varsAbove },
    become: add.become ?? scope.become,
    becomeUser: add.becomeUser ?? scope.becomeUser,
    ignoreErrors: add.ignoreErrors ?? scope.ignoreErrors,
    noLog: add.noLog ?? scope.noLog,
    checkMode: add.checkMode ?? scope.checkMode,
    loopVars: [...(scope.loopVars ?? []), ...(add.loopVars ?? [])],
    fileStack: add.fileStack ?? scope.fileStack,
  };
}
