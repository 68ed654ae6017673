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

function checkTask(task: Task, module: ModuleDefinition | undefined, vars: TemplateVars, playbookDir: string): InputError | undefined {
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
  const source = module?.localSource;
  const sourcePath = source ? args[source.arg] : undefined;
  if (source?.kind === 'templates' && typeof sourcePath === 'string' && !sourcePath.includes('<%')) {
    const { found } = findLocalFile(sourcePath, 'templates', [task.role?.path, task.baseDir, playbookDir]);
    if (found) checks.push(() => renderTemplateText(readFileSync(found, 'utf8'), vars, found));
  }
  for (const check of checks) {
    const err = attempt(check);
    if (err) return err;
  }
  return undefined;
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
  for (const play of playbook.plays) {
    let hosts: string[];
    try {
      hosts = inventory.select(play.hosts).filter((h) => !allowed || allowed.has(h));
    } catch {
      continue; // validatePlaybookHosts reports bad patterns
    }
    for (const host of hosts) {
      const inventoryVars = inventory.hostVars(host);
      const magic = magicVars({ host, inventory, playHosts: hosts, playbookDir: playbook.dir });
      for (const task of [...play.tasks, ...play.handlers]) {
        const testedDefined = new Set(task.when.flatMap(namesTestedDefined));
        const ownLoopVars = task.loop !== undefined ? [task.loopVar, task.loopIndexVar, 'ansible_loop'].filter((n): n is string => Boolean(n)) : [];
        const loopVars = [...ownLoopVars, ...(task.includeLoopVars ?? [])];
        const vars: TemplateVars = {
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
        const found = checkTask(task, modules.get(task.module), vars, playbook.dir);
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
