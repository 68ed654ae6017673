// One task mapping -> the validated Task model: keywords checked by schema, exactly one module,
// its arguments shaped and validated, the local source file its module declares (copy's src) found.

import { dirname } from 'node:path';
import { InputError, InputErrors, type SourceLocation } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { localFileNoun, type ModuleDefinition } from '../../modules/types.js';
import { TASK_KEYWORDS, taskKeywordSchema, type TaskKeywords } from './keywords.js';
import { findLocalFile } from './local-files.js';
import { checkTemplateFile } from './template-files.js';
import { buildModuleArgs } from './module-args.js';
import { schemaErrors } from './schema-issues.js';
import type { TaskScope } from './task-scope.js';
import type { Handler, Task } from './types.js';
import { isRecord, type YamlNode } from './yaml-node.js';

/** Keys that make a task entry something other than a module call (handled by task-list.ts). */
export const STRUCTURAL_KEYS = ['include_tasks', 'import_tasks', 'block', 'rescue', 'always'] as const;

export function findModule(modules: ReadonlyMap<string, ModuleDefinition>, key: string): ModuleDefinition | undefined {
  return modules.get(key) ?? modules.get(key.replace(/^ansible\.(builtin|legacy)\./, ''));
}

/** Picks the module key of a task, or throws an error naming the unknown module/keyword. */
function pickModule(node: YamlNode & { value: Record<string, unknown> }, scope: TaskScope): { key: string; module: ModuleDefinition } {
  const keywords = new Set(TASK_KEYWORDS);
  if (!scope.handlers) keywords.delete('listen');
  const others = node.keys().filter((k) => !keywords.has(k));
  const known = others.filter((k) => findModule(scope.modules, k));
  const unknown = others.filter((k) => !findModule(scope.modules, k));
  const moduleNames = [...scope.modules.keys()];
  const errors: InputError[] = [];
  if (known.length === 0 && unknown.length === 1 && unknown[0]) {
    const key = unknown[0];
    const hint = key === 'listen' ? "'listen' is only for handlers" : didYouMean(key, [...moduleNames, ...keywords, 'include_tasks', 'import_tasks']);
    throw new InputError(`unknown module '${key}'`, node.keyLoc(key), hint);
  }
  for (const key of unknown) {
    const hint = key === 'listen' ? "'listen' is only for handlers" : didYouMean(key, [...keywords, ...moduleNames]);
    errors.push(new InputError(`unknown task keyword ${known.length ? '' : 'or module '}'${key}'`, node.keyLoc(key), hint));
  }
  if (known.length > 1 && known[1]) {
    errors.push(new InputError(`a task runs exactly one module, found '${known.join("', '")}'`, node.keyLoc(known[1])));
  }
  if (known.length === 0 && unknown.length === 0) {
    errors.push(new InputError('task has no module: expected one module key (e.g. command, copy, apt) besides its keywords', node.loc));
  }
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length) throw new InputErrors(errors);
  const key = known[0] as string;
  return { key, module: findModule(scope.modules, key) as ModuleDefinition };
}

/** A display name when the task has none: `module summary-of-args`. */
function defaultName(module: string, args: unknown, freeForm: string | undefined): string {
  let summary = '';
  if (typeof args === 'string') summary = args;
  else if (freeForm && isRecord(args) && typeof args[freeForm] === 'string') summary = args[freeForm];
  else if (isRecord(args)) {
    summary = Object.entries(args)
      .filter(([, v]) => typeof v !== 'object')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
  }
  if (summary.length > 50) summary = `${summary.slice(0, 47)}...`;
  return summary ? `${module} ${summary}` : module;
}

/** Records the location of every templated string below `value` under `prefix`. */
function templatedLocations(value: unknown, prefix: string, locate: (path: (string | number)[]) => SourceLocation, out: Record<string, SourceLocation>, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    if (value.includes('<%')) out[[prefix, ...path].join('.')] = locate(path);
  } else if (Array.isArray(value)) value.forEach((v, i) => templatedLocations(v, prefix, locate, out, [...path, i]));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) templatedLocations(v, prefix, locate, out, [...path, k]);
}

/** The module's local source file (a templated name is found when the task runs). */
function checkSourceFile(module: ModuleDefinition, args: unknown, argLoc: (key: string) => SourceLocation, scope: TaskScope, baseDir: string): void {
  const source = module.localSource;
  if (!source || !isRecord(args)) return;
  const path = args[source.arg];
  if (typeof path !== 'string' || path.includes('<%')) return;
  const { found, candidates } = findLocalFile(path, source.kind, [scope.role?.path, baseDir, scope.playbookDir]);
  if (!found) {
    throw new InputError(`${localFileNoun[source.kind]} '${path}' not found`, argLoc(source.arg), `looked in: ${candidates.join(', ')}`);
  }
  if (source.kind === 'templates') checkTemplateFile(found);
}

/** Parses one task (or handler) entry. `file` is the file the task is written in. */
export function parseTask(node: YamlNode & { value: Record<string, unknown> }, scope: TaskScope): Task | Handler {
  const { key: moduleKey, module } = pickModule(node, scope);
  const keywordValues = Object.fromEntries(Object.entries(node.value).filter(([k]) => k !== moduleKey));
  const { errors, data } = schemaErrors(taskKeywordSchema, keywordValues, node, { subject: 'task', keyWord: 'keyword' });
  if (scope.handlers && module.notAHandler) errors.push(new InputError(`a '${moduleKey}' task cannot be a handler: ${module.notAHandler}`, node.keyLoc(moduleKey)));
  for (const [keyword, reason] of Object.entries(module.refusedKeywords ?? {})) {
    if (keyword in node.value) errors.push(new InputError(`'${keyword}' is not allowed on a '${moduleKey}' task: ${reason}`, node.keyLoc(keyword)));
  }
  const argsNode = 'args' in node.value ? node.child('args') : undefined;
  let args: unknown;
  try {
    args = buildModuleArgs({ module, name: moduleKey, node: node.child(moduleKey), ...(argsNode ? { argsNode } : {}) });
  } catch (err) {
    if (err instanceof InputErrors) errors.push(...err.errors);
    else if (err instanceof InputError) errors.push(err);
    else throw err;
  }
  const baseDir = dirname(node.file);
  const moduleNode = node.child(moduleKey);
  const argPathLoc = (p: (string | number)[]): SourceLocation => {
    const first = p[0];
    if (first === undefined) return moduleNode.loc;
    if (isRecord(moduleNode.value) && Object.hasOwn(moduleNode.value, first)) return moduleNode.locate(p);
    if (argsNode && isRecord(argsNode.value) && Object.hasOwn(argsNode.value, first)) return argsNode.locate(p);
    return moduleNode.loc;
  };
  const argLoc = (key: string): SourceLocation => argPathLoc([key]);
  if (!errors.length) {
    try {
      checkSourceFile(module, args, argLoc, scope, baseDir);
    } catch (err) {
      if (err instanceof InputError) errors.push(err);
      else throw err;
    }
  }
  if ('loop_control' in node.value && !('loop' in node.value) && !('with_items' in node.value)) {
    errors.push(new InputError("'loop_control' needs 'loop' (or 'with_items') on the same task", node.keyLoc('loop_control')));
  }
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length) throw new InputErrors(errors);
  const kw = data as TaskKeywords;

  const locations: Record<string, SourceLocation> = { name: node.child('name').loc, args: moduleNode.loc };
  templatedLocations(args, 'args', argPathLoc, locations);
  const inheritedWhen = scope.when;
  inheritedWhen.forEach((c, i) => (locations[`when.${i}`] = c.loc));
  const ownWhen = kw.when ?? [];
  ownWhen.forEach((_, i) => (locations[`when.${inheritedWhen.length + i}`] = node.value.when !== undefined && Array.isArray(node.value.when) ? node.locate(['when', i]) : node.child('when').loc));
  for (const k of ['changed_when', 'failed_when'] as const) {
    (kw[k] ?? []).forEach((_, i) => (locations[`${k}.${i}`] = Array.isArray(node.value[k]) ? node.locate([k, i]) : node.child(k).loc));
  }
  for (const k of ['until', 'delegate_to', 'loop', 'with_items'] as const) {
    if (k in node.value) locations[k === 'with_items' ? 'loop' : k] = node.child(k).loc;
  }
  templatedLocations(kw.loop ?? kw.with_items, 'loop', (p) => node.locate(['loop' in node.value ? 'loop' : 'with_items', ...p]), locations);
  if ('notify' in node.value) {
    const n = node.child('notify');
    (kw.notify ?? []).forEach((_, i) => (locations[`notify.${i}`] = n.isList() ? n.locate([i]) : n.loc));
  }
  templatedLocations(kw.vars, 'vars', (p) => node.locate(['vars', ...p]), locations);

  // A no_log task is never titled from its arguments: they may hold the secrets it hides.
  const rawName = kw.name ?? (kw.no_log === true ? moduleKey : defaultName(moduleKey, args, module.freeForm));
  const name = scope.role ? `${scope.role.name} : ${rawName}` : rawName;
  const withItems = Array.isArray(kw.with_items) ? kw.with_items.flatMap((x: unknown) => (Array.isArray(x) ? x : [x])) : kw.with_items;
  const loop = kw.loop ?? withItems;
  const task: Task = {
    name,
    module: module.name,
    args,
    vars: { ...scope.varsBelow, ...kw.vars, ...scope.varsAbove },
    when: [...inheritedWhen.map((c) => c.expr), ...ownWhen],
    ...(loop !== undefined ? { loop } : {}),
    loopVar: kw.loop_control?.loop_var ?? 'item',
    ...(kw.loop_control?.label !== undefined ? { loopLabel: kw.loop_control.label } : {}),
    ...(kw.loop_control?.index_var !== undefined ? { loopIndexVar: kw.loop_control.index_var } : {}),
    ...(kw.loop_control?.pause ? { loopPause: kw.loop_control.pause } : {}),
    ...(kw.register !== undefined ? { register: kw.register } : {}),
    notify: kw.notify ?? [],
    tags: [...new Set([...scope.tags, ...(kw.tags ?? [])])],
    ...((kw.become ?? scope.become) !== undefined ? { become: kw.become ?? scope.become } : {}),
    ...((kw.become_user ?? scope.becomeUser) !== undefined ? { becomeUser: kw.become_user ?? scope.becomeUser } : {}),
    ignoreErrors: kw.ignore_errors ?? scope.ignoreErrors ?? false,
    ...(kw.changed_when ? { changedWhen: kw.changed_when } : {}),
    ...(kw.failed_when ? { failedWhen: kw.failed_when } : {}),
    noLog: kw.no_log ?? scope.noLog ?? false,
    ...(kw.until !== undefined ? { until: kw.until } : {}),
    retries: kw.retries ?? (kw.until !== undefined ? 3 : 0),
    delaySeconds: kw.delay ?? 5,
    runOnce: kw.run_once ?? false,
    ...(kw.delegate_to !== undefined ? { delegateTo: kw.delegate_to } : {}),
    ...((kw.check_mode ?? scope.checkMode) !== undefined ? { checkMode: kw.check_mode ?? scope.checkMode } : {}),
    ...(scope.loopVars?.length ? { includeLoopVars: scope.loopVars } : {}),
    ...(scope.role ? { role: scope.role } : {}),
    baseDir,
    location: node.loc,
    locations,
  };
  if (!scope.handlers) return task;
  const listen = [rawName, ...(scope.role ? [name] : []), ...(kw.listen ?? [])];
  return { ...task, listen: [...new Set(listen)] };
}
