// Validation-time undefined-variable check (docs/VARIABLES.md, "Checked before any host is touched").
// Each task's templates and conditions are rendered per host with every variable statically known for
// that host; names that only exist at run time (register:, the variables a module defines such as
// set_fact's keys, gathered facts ansible_*, names a `when:` tests with `is defined`) resolve to an
// opaque placeholder that never fails. What a module's args mean (conditions, a template source) is
// what the module declares (src/modules/types.ts).
// Only undefined variables and syntax errors are reported: other failures depend on run-time values.

import { readFileSync } from 'node:fs';
import { InputError, InputErrors, UndefinedVariableError } from '../errors.js';
import type { Inventory } from '../inventory/types.js';
import { modulesByName } from '../../modules/index.js';
import type { ModuleDefinition } from '../../modules/types.js';
import { didYouMean } from '../suggest.js';
import { evaluateCondition, namesTestedDefined } from '../conditions.js';
import { renderTemplateText, renderValue } from '../template.js';
import { OPAQUE, RUNTIME_FALLBACK, TemplateError, type TemplateVars } from '../template-scope.js';
import { composeTaskVars, magicVars } from '../vars.js';
import { findLocalFile } from './local-files.js';
import { locateInTask, taskLocator } from './locate.js';
import type { Playbook, Task } from './types.js';
import { isRecord } from './yaml-node.js';

type Modules = ReadonlyMap<string, ModuleDefinition>;

/** Names every play can only know at run time: registered results and the variables modules define (set_fact). */
export function runtimeNames(playbook: Playbook, modules: Modules = modulesByName): Set<string> {
  const names = new Set<string>();
  for (const play of playbook.plays) {
    for (const task of [...play.tasks, ...play.handlers]) {
      if (task.register) names.add(task.register);
      for (const name of modules.get(task.module)?.definesVariables?.(task.args) ?? []) names.add(name);
    }
  }
  return names;
}

/** Reported: undefined names, bad syntax. Ignored: failures that depend on the real values. */
function reportable(err: unknown): err is InputError {
  if (err instanceof TemplateError) return err.kind === 'syntax';
  return err instanceof InputError;
}

/** What validation needs of a task that does not depend on the host (worked out once per task). */
interface TaskFacts {
  task: Task;
  module: ModuleDefinition | undefined;
  /** Names a `when:` tests with `is defined`: opaque when undefined. */
  testedDefined: ReadonlySet<string>;
  /** Loop variables (the task's own and its include's): opaque. */
  loopVars: string[];
  /** The template file the module renders (template's `src`), when it is a plain existing path. */
  templateFile?: string;
  /** Which tasks may share one vars object on a host: same role, same task vars, loop vars and tested names. */
  varsKey: string;
}

/** Numbers objects by identity, for keys (a role's context, a task's own vars). */
function identities(): (value: object | undefined) => number {
  const ids = new WeakMap<object, number>();
  let next = 1;
  return (value) => {
    if (value === undefined) return 0;
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = next++));
    return id;
  };
}

function taskFacts(task: Task, modules: Modules, playbookDir: string, idOf: (value: object | undefined) => number): TaskFacts {
  const module = modules.get(task.module);
  const testedDefined = new Set(task.when.flatMap(namesTestedDefined));
  const ownLoopVars = task.loop !== undefined ? [task.loopVar, task.loopIndexVar, 'ansible_loop'].filter((n): n is string => Boolean(n)) : [];
  const loopVars = [...ownLoopVars, ...(task.includeLoopVars ?? [])];
  const args = isRecord(task.args) ? task.args : {};
  const source = module?.localSource;
  const sourcePath = source ? args[source.arg] : undefined;
  const templateFile =
    source?.kind === 'templates' && typeof sourcePath === 'string' && !sourcePath.includes('<%')
      ? findLocalFile(sourcePath, 'templates', [task.role?.path, task.baseDir, playbookDir]).found
      : undefined;
  // Tasks without vars of their own all see their role's (or play's) variables: they share them.
  const ownVars = Object.keys(task.vars).length ? idOf(task.vars) : 0;
  const varsKey = [idOf(task.role), ownVars, loopVars.join(','), [...testedDefined].join(',')].join('\0');
  return { task, module, testedDefined, loopVars, ...(templateFile !== undefined ? { templateFile } : {}), varsKey };
}

function checkTask(facts: TaskFacts, vars: TemplateVars, readTemplate: (file: string) => string): InputError | undefined {
  const { task, module } = facts;
  const attempt = (fn: () => unknown): InputError | undefined => {
    try {
      fn();
      return undefined;
    } catch (err) {
      if (reportable(err)) return err;
      if (err instanceof InputErrors) return err.errors[0];
      if (err instanceof UndefinedVariableError) return err;
      return undefined;
    }
  };
  const checks: (() => unknown)[] = [
    ...task.when.map((c, i) => () => evaluateCondition(c, vars, locateInTask(task, ['when', i]))),
    () => renderValue(task.loop, vars, taskLocator(task, 'loop')),
    () => renderValue(task.args, vars, taskLocator(task, 'args')),
    () => task.delegateTo !== undefined && renderValue(task.delegateTo, vars, locateInTask(task, ['delegate_to'])),
    ...(task.changedWhen ?? []).map((c, i) => () => evaluateCondition(c, vars, locateInTask(task, ['changed_when', i]))),
    ...(task.failedWhen ?? []).map((c, i) => () => evaluateCondition(c, vars, locateInTask(task, ['failed_when', i]))),
    () => task.until !== undefined && evaluateCondition(task.until, vars, locateInTask(task, ['until'])),
  ];
  const args = isRecord(task.args) ? task.args : {};
  for (const name of module?.conditionArgs ?? []) {
    const value = args[name];
    for (const c of Array.isArray(value) ? value : [value]) {
      if (typeof c === 'string' || typeof c === 'boolean') checks.push(() => evaluateCondition(c, vars, locateInTask(task, ['args', name])));
    }
  }
  const found = facts.templateFile;
  if (found !== undefined) checks.push(() => renderTemplateText(readTemplate(found), vars, found));
  for (const check of checks) {
    const err = attempt(check);
    if (err) return err;
  }
  return undefined;
}

/** Reads each template file once per validation (a read error is thrown again on every use, as before). */
function templateReader(): (file: string) => string {
  const texts = new Map<string, { text: string } | { error: unknown }>();
  return (file) => {
    let entry = texts.get(file);
    if (!entry) {
      try {
        entry = { text: readFileSync(file, 'utf8') };
      } catch (error) {
        entry = { error };
      }
      texts.set(file, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.text;
  };
}

/**
 * Throws InputError(s) for the first undefined variable of each task, on any host of its play that the
 * run reaches: hosts left out by `limit` never render anything (`role mysql --limit web` must not fail on
 * lb01, which lacks the web group's variables).
 */
export function validatePlaybookVariables(
  playbook: Playbook,
  inventory: Inventory,
  extraVars: Record<string, unknown> = {},
  limit?: string,
  modules: Modules = modulesByName,
): void {
  const atRuntime = runtimeNames(playbook, modules);
  const errors = new Map<string, InputError>();
  const allowed = limit ? new Set(inventory.select(limit)) : undefined;
  const idOf = identities();
  const readTemplate = templateReader();
  for (const play of playbook.plays) {
    let hosts: string[];
    try {
      hosts = inventory.select(play.hosts).filter((h) => !allowed || allowed.has(h));
    } catch {
      continue; // validatePlaybookHosts reports bad patterns
    }
    if (!hosts.length) continue;
    const tasks = [...play.tasks, ...play.handlers].map((task) => taskFacts(task, modules, playbook.dir, idOf));
    for (const host of hosts) {
      const inventoryVars = inventory.hostVars(host);
      const magic = magicVars({ host, inventory, playHosts: hosts, playbookDir: playbook.dir });
      // The vars of the tasks that see the same variables are built once, and their templated
      // values are rendered through the same object.
      const varsByKey = new Map<string, TemplateVars>();
      for (const facts of tasks) {
        const { task, testedDefined, loopVars } = facts;
        let vars = varsByKey.get(facts.varsKey);
        if (!vars) {
          vars = {
            ...magic,
            ...(task.role ? { role_name: task.role.name, role_path: task.role.path } : {}),
            ...composeTaskVars({
              roleDefaults: task.role?.defaults,
              inventory: inventoryVars,
              play: play.vars,
              roleVars: task.role?.vars,
              roleParams: task.role?.params,
              task: task.vars,
              extra: extraVars,
            }),
            ...Object.fromEntries(loopVars.map((n) => [n, OPAQUE])),
            [RUNTIME_FALLBACK]: (name: string) =>
              atRuntime.has(name) || testedDefined.has(name) || name.startsWith('ansible_') ? OPAQUE : undefined,
          };
          varsByKey.set(facts.varsKey, vars);
        }
        const found = checkTask(facts, vars, readTemplate);
        // A typo of a known name: say which ("did you mean 'app_port'?").
        const err =
          found instanceof UndefinedVariableError && !found.hint
            ? new UndefinedVariableError(found.variable, found.location, didYouMean(found.variable, [...Object.keys(vars), ...atRuntime]))
            : found;
        if (found && err && !errors.has(found.message)) errors.set(found.message, err);
      }
    }
  }
  const list = [...errors.values()];
  if (list.length === 1 && list[0]) throw list[0];
  if (list.length) throw new InputErrors(list);
}
