// Task lists: plain tasks, `import_tasks` (expanded statically at load time), `include_tasks` (a
// dynamic include: its file name, loop and when are evaluated per host at run time; a file named
// without a template is also loaded now, so its mistakes are found before any host is touched) and
// `block` with `rescue`/`always` (their tasks inherit the block's keywords). In handlers, includes are
// static and blocks only group tasks.

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, InputErrors, type SourceLocation } from '../errors.js';
import { loadYamlFile } from '../yaml.js';
import { blockKeywordSchema, includeKeywordSchema } from './keywords.js';
import { Problems } from './problems.js';
import { schemaErrors } from './schema-issues.js';
import { leafTasks } from './steps.js';
import { parseTask } from './task.js';
import { childScope, type TaskScope } from './task-scope.js';
import type { Handler, Step, Task } from './types.js';
import { describeType, isRecord, YamlNode } from './yaml-node.js';

/** Loads a task file (a list of tasks, or empty). */
export function loadTaskFile(file: string, scope: TaskScope): Step[] {
  const node = YamlNode.root(loadYamlFile(file));
  return loadTaskList(node, childScope(scope, { fileStack: [...scope.fileStack, resolve(file)] }));
}

/** Loads a handlers file: its blocks and includes flattened into the handler list. */
export function loadHandlerFile(file: string, scope: TaskScope): Handler[] {
  return leafTasks(loadTaskFile(file, { ...scope, handlers: true })) as Handler[];
}

/** Loads a YAML list of task entries; errors are collected per entry in scope.problems. */
export function loadTaskList(node: YamlNode, scope: TaskScope): Step[] {
  if (node.value === null || node.value === undefined) return [];
  if (!node.isList()) {
    scope.problems.add(new InputError(`expected a list of tasks, got ${describeType(node.value)}`, node.loc));
    return [];
  }
  const steps: Step[] = [];
  for (const item of node.items()) {
    const loaded = scope.problems.guard(() => loadEntry(item, scope));
    if (loaded) steps.push(...loaded);
  }
  return steps;
}

function loadEntry(node: YamlNode, scope: TaskScope): Step[] {
  if (!node.isMap()) throw new InputError(`expected a task (a mapping), got ${describeType(node.value)}`, node.loc);
  const keys = node.keys();
  const include = keys.find((k) => k === 'include_tasks' || k === 'import_tasks' || k === 'ansible.builtin.include_tasks' || k === 'ansible.builtin.import_tasks');
  if (include) return include.endsWith('import_tasks') || scope.handlers ? importTasks(node, include, scope) : [includeTasks(node, include, scope)];
  if (keys.includes('block')) return loadBlock(node, scope);
  for (const k of ['rescue', 'always']) {
    if (keys.includes(k)) throw new InputError(`'${k}' is only valid next to 'block'`, node.keyLoc(k));
  }
  return [{ kind: 'task', task: parseTask(node, scope) }];
}

function throwAll(errors: InputError[]): void {
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}

type MapNode = YamlNode & { value: Record<string, unknown> };

interface IncludeKeywords {
  name?: string;
  vars?: Record<string, unknown>;
  when?: string[];
  tags?: string[];
  become?: boolean;
  become_user?: string;
  loop?: unknown;
  with_items?: unknown;
  loop_control?: { loop_var?: string; index_var?: string; label?: string; pause?: number };
}

/** The include's keywords (`include_tasks: {file: x}` may hold them too) and its file name node. */
function includeParts(node: MapNode, key: string): { kw: IncludeKeywords; fileValue: string; target: YamlNode } {
  const target = node.child(key);
  const { [key]: _value, ...rest } = node.value;
  // `include_tasks: {file: x.yaml}` as well as `include_tasks: x.yaml`
  const fileValue = isRecord(target.value) ? target.value.file : target.value;
  const extra = isRecord(target.value) ? Object.fromEntries(Object.entries(target.value).filter(([k]) => k !== 'file')) : {};
  const { errors, data } = schemaErrors(includeKeywordSchema, { ...rest, ...extra }, node, { subject: key, keyWord: 'keyword' });
  if ('loop_control' in rest && !('loop' in rest) && !('with_items' in rest)) {
    errors.push(new InputError("'loop_control' needs 'loop' (or 'with_items') on the same include", node.keyLoc('loop_control')));
  }
  throwAll(errors);
  if (typeof fileValue !== 'string' || !fileValue) {
    throw new InputError(`'${key}' expects a task file name, got ${describeType(fileValue)}`, target.loc);
  }
  return { kw: data as IncludeKeywords, fileValue, target };
}

/** Finds an included file beside the including file, in the role's tasks/, then the playbook dir. */
function findTaskFile(fileName: string, node: YamlNode, scope: TaskScope, loc: SourceLocation): string {
  const dirs = [dirname(node.file), scope.role ? join(scope.role.path, 'tasks') : undefined, scope.playbookDir].filter((d): d is string => Boolean(d));
  const candidates = isAbsolute(fileName) ? [fileName] : [...new Set(dirs.map((d) => join(d, fileName)))];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new InputError(`task file '${fileName}' not found`, loc, `looked in: ${candidates.join(', ')}`);
  const abs = resolve(file);
  if (scope.fileStack.includes(abs)) {
    const chain = [...scope.fileStack.slice(scope.fileStack.indexOf(abs)), abs].join(' -> ');
    throw new InputError(`include cycle: ${chain}`, loc);
  }
  return file;
}

function conditionsWithLocations(node: MapNode, when: string[] | undefined): { expr: string; loc: SourceLocation }[] {
  const whenNode = node.child('when');
  return (when ?? []).map((expr, i) => ({ expr, loc: whenNode.isList() ? whenNode.locate([i]) : whenNode.loc }));
}

/** import_tasks (and any include in handlers): the file's tasks, in place, inheriting the keywords. */
function importTasks(node: MapNode, key: string, scope: TaskScope): Step[] {
  const { kw, fileValue, target } = includeParts(node, key);
  if ('loop' in node.value || 'with_items' in node.value) {
    throw new InputError(`'${key}' cannot loop: it is expanded once, at load time`, node.keyLoc('loop' in node.value ? 'loop' : 'with_items'), "use 'include_tasks' to include a file once per item");
  }
  if (fileValue.includes('<%')) {
    throw new InputError(`'${key}' needs a static file name: it is expanded at load time, before any host variable is known`, target.loc, scope.handlers ? undefined : "use 'include_tasks' for a file name known at run time");
  }
  const file = findTaskFile(fileValue, node, scope, target.loc);
  const child = childScope(scope, {
    when: conditionsWithLocations(node, kw.when),
    tags: kw.tags ?? [],
    varsAbove: kw.vars ?? {},
    ...(kw.become !== undefined ? { become: kw.become } : {}),
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
  });
  return loadTaskFile(file, child);
}

/**
 * include_tasks, dynamic as in Ansible: `when`, `loop` and a templated file name are evaluated per host
 * when the run reaches it; its `when` and `tags` select the include itself, not the included tasks;
 * its `vars` (and the loop variable) are given to the included tasks.
 */
function includeTasks(node: MapNode, key: string, scope: TaskScope): Step {
  const { kw, fileValue, target } = includeParts(node, key);
  const loopKey = 'loop' in node.value ? 'loop' : 'with_items' in node.value ? 'with_items' : undefined;
  const loop = loopKey === 'with_items' && Array.isArray(kw.with_items) ? kw.with_items.flatMap((x: unknown) => (Array.isArray(x) ? x : [x])) : (kw.loop ?? kw.with_items);
  const loopVar = kw.loop_control?.loop_var ?? 'item';
  const ownWhen = conditionsWithLocations(node, kw.when);
  const when = [...scope.when, ...ownWhen];
  const locations: Record<string, SourceLocation> = { name: node.child('name').loc, args: target.loc, 'args.file': isRecord(target.value) ? target.locate(['file']) : target.loc };
  when.forEach((c, i) => (locations[`when.${i}`] = c.loc));
  if (loopKey) locations.loop = node.child(loopKey).loc;
  const name = kw.name ?? `include_tasks ${fileValue}`;
  const task: Task = {
    name: scope.role ? `${scope.role.name} : ${name}` : name,
    module: 'include_tasks',
    args: { file: fileValue },
    vars: { ...scope.varsBelow, ...kw.vars, ...scope.varsAbove },
    when: when.map((c) => c.expr),
    ...(loop !== undefined ? { loop } : {}),
    loopVar,
    ...(kw.loop_control?.label !== undefined ? { loopLabel: kw.loop_control.label } : {}),
    ...(kw.loop_control?.index_var !== undefined ? { loopIndexVar: kw.loop_control.index_var } : {}),
    ...(kw.loop_control?.pause ? { loopPause: kw.loop_control.pause } : {}),
    ...(scope.loopVars?.length ? { includeLoopVars: scope.loopVars } : {}),
    notify: [],
    tags: [...new Set([...scope.tags, ...(kw.tags ?? [])])],
    ignoreErrors: false,
    noLog: false,
    retries: 0,
    delaySeconds: 0,
    runOnce: false,
    ...(scope.role ? { role: scope.role } : {}),
    baseDir: dirname(node.file),
    location: node.loc,
    locations,
  };
  const loopVars = loop !== undefined ? [loopVar, ...(kw.loop_control?.index_var ? [kw.loop_control.index_var] : [])] : [];
  // The included tasks inherit the enclosing blocks' keywords (scope), not the include's when and tags.
  const childOf = (problems: Problems): TaskScope => ({
    ...childScope(scope, {
      varsAbove: kw.vars ?? {},
      ...(kw.become !== undefined ? { become: kw.become } : {}),
      ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
      loopVars,
    }),
    problems,
    when: scope.when,
    tags: scope.tags,
  });
  const load = (fileName: string): Step[] => {
    const problems = new Problems();
    const file = findTaskFile(fileName, node, scope, target.loc);
    const steps = loadTaskFile(file, childOf(problems));
    problems.throwIfAny();
    return steps;
  };
  if (fileValue.includes('<%')) return { kind: 'include', task, load };
  const file = findTaskFile(fileValue, node, scope, target.loc);
  return { kind: 'include', task, load, preloaded: { fileName: fileValue, steps: loadTaskFile(file, childOf(scope.problems)) } };
}

function loadBlock(node: MapNode, scope: TaskScope): Step[] {
  const { errors, data } = schemaErrors(blockKeywordSchema, node.value, node, { subject: 'block', keyWord: 'keyword' });
  if (scope.handlers) {
    for (const k of ['rescue', 'always']) {
      if (k in node.value) errors.push(new InputError(`'${k}' is not supported in handlers: a block there only groups handlers`, node.keyLoc(k)));
    }
  }
  throwAll(errors);
  const kw = data as { name?: string; vars?: Record<string, unknown>; when?: string[]; tags?: string[]; become?: boolean; become_user?: string; ignore_errors?: boolean; no_log?: boolean; check_mode?: boolean };
  const child = childScope(scope, {
    when: conditionsWithLocations(node, kw.when),
    tags: kw.tags ?? [],
    varsBelow: kw.vars ?? {},
    ...(kw.become !== undefined ? { become: kw.become } : {}),
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
    ...(kw.ignore_errors !== undefined ? { ignoreErrors: kw.ignore_errors } : {}),
    ...(kw.no_log !== undefined ? { noLog: kw.no_log } : {}),
    ...(kw.check_mode !== undefined ? { checkMode: kw.check_mode } : {}),
  });
  const section = (key: string): Step[] => (key in node.value ? loadTaskList(node.child(key), child) : []);
  const block = section('block');
  if (scope.handlers) return block;
  return [{ kind: 'block', ...(kw.name !== undefined ? { name: kw.name } : {}), block, rescue: section('rescue'), always: section('always'), location: node.loc }];
}
