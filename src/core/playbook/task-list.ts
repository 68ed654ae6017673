// Task lists: plain tasks, `import_tasks`/`include_tasks` (expanded statically at load time: the file
// name must not be templated) and `block` (its tasks inherit when/tags/vars/become).

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, InputErrors } from '../errors.js';
import { loadYamlFile } from '../yaml.js';
import { blockKeywordSchema, includeKeywordSchema } from './keywords.js';
import { schemaErrors } from './schema-issues.js';
import { parseTask } from './task.js';
import { childScope, type TaskScope } from './task-scope.js';
import type { Handler, Task } from './types.js';
import { describeType, isRecord, YamlNode } from './yaml-node.js';

/** Loads a task file (a list of tasks, or empty). */
export function loadTaskFile(file: string, scope: TaskScope): (Task | Handler)[] {
  const node = YamlNode.root(loadYamlFile(file));
  return loadTaskList(node, childScope(scope, { fileStack: [...scope.fileStack, resolve(file)] }));
}

/** Loads a YAML list of task entries; errors are collected per entry in scope.problems. */
export function loadTaskList(node: YamlNode, scope: TaskScope): (Task | Handler)[] {
  if (node.value === null || node.value === undefined) return [];
  if (!node.isList()) {
    scope.problems.add(new InputError(`expected a list of tasks, got ${describeType(node.value)}`, node.loc));
    return [];
  }
  const tasks: (Task | Handler)[] = [];
  for (const item of node.items()) {
    const loaded = scope.problems.guard(() => loadEntry(item, scope));
    if (loaded) tasks.push(...loaded);
  }
  return tasks;
}

function loadEntry(node: YamlNode, scope: TaskScope): (Task | Handler)[] {
  if (!node.isMap()) throw new InputError(`expected a task (a mapping), got ${describeType(node.value)}`, node.loc);
  const keys = node.keys();
  const include = keys.find((k) => k === 'include_tasks' || k === 'import_tasks');
  if (include) return loadInclude(node, include, scope);
  if (keys.includes('block')) return loadBlock(node, scope);
  for (const k of ['rescue', 'always']) {
    if (keys.includes(k)) throw new InputError(`'${k}' is only valid next to 'block'`, node.keyLoc(k));
  }
  return [parseTask(node, scope)];
}

function throwAll(errors: InputError[]): void {
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}

function loadInclude(node: YamlNode & { value: Record<string, unknown> }, key: string, scope: TaskScope): (Task | Handler)[] {
  const target = node.child(key);
  const { [key]: _value, ...rest } = node.value;
  // `include_tasks: {file: x.yaml}` as well as `include_tasks: x.yaml`
  const fileValue = isRecord(target.value) ? target.value.file : target.value;
  const extra = isRecord(target.value) ? Object.fromEntries(Object.entries(target.value).filter(([k]) => k !== 'file')) : {};
  if ('loop' in rest || 'with_items' in rest) {
    throw new InputError(`'${key}' with a loop is not supported: includes are expanded once, at load time`, node.keyLoc('loop' in rest ? 'loop' : 'with_items'), 'put the loop on the included tasks instead');
  }
  const { errors, data } = schemaErrors(includeKeywordSchema, { ...rest, ...extra }, node, { subject: key, keyWord: 'keyword' });
  throwAll(errors);
  if (typeof fileValue !== 'string' || !fileValue) {
    throw new InputError(`'${key}' expects a task file name, got ${describeType(fileValue)}`, target.loc);
  }
  if (fileValue.includes('<%')) {
    throw new InputError(`'${key}' needs a static file name: includes are expanded at load time, before any host variable is known`, target.loc);
  }
  const here = dirname(node.file);
  const dirs = [here, scope.role ? join(scope.role.path, 'tasks') : undefined, scope.playbookDir].filter((d): d is string => Boolean(d));
  const candidates = isAbsolute(fileValue) ? [fileValue] : [...new Set(dirs.map((d) => join(d, fileValue)))];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new InputError(`task file '${fileValue}' not found`, target.loc, `looked in: ${candidates.join(', ')}`);
  const abs = resolve(file);
  if (scope.fileStack.includes(abs)) {
    const chain = [...scope.fileStack.slice(scope.fileStack.indexOf(abs)), abs].join(' -> ');
    throw new InputError(`include cycle: ${chain}`, target.loc);
  }
  const kw = data as { vars?: Record<string, unknown>; when?: string[]; tags?: string[]; become?: boolean; become_user?: string };
  const whenNode = node.child('when');
  const child = childScope(scope, {
    when: (kw.when ?? []).map((expr, i) => ({ expr, loc: whenNode.isList() ? whenNode.locate([i]) : whenNode.loc })),
    tags: kw.tags ?? [],
    varsAbove: kw.vars ?? {},
    ...(kw.become !== undefined ? { become: kw.become } : {}),
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
  });
  return loadTaskFile(file, child);
}

function loadBlock(node: YamlNode & { value: Record<string, unknown> }, scope: TaskScope): (Task | Handler)[] {
  const { errors, data } = schemaErrors(blockKeywordSchema, node.value, node, { subject: 'block', keyWord: 'keyword' });
  throwAll(errors);
  for (const k of ['rescue', 'always']) {
    if (k in node.value) {
      throw new InputError(`'${k}' is not supported yet: a block only groups tasks that share when/tags/vars/become`, node.keyLoc(k));
    }
  }
  const kw = data as { vars?: Record<string, unknown>; when?: string[]; tags?: string[]; become?: boolean; become_user?: string };
  const whenNode = node.child('when');
  const child = childScope(scope, {
    when: (kw.when ?? []).map((expr, i) => ({ expr, loc: whenNode.isList() ? whenNode.locate([i]) : whenNode.loc })),
    tags: kw.tags ?? [],
    varsBelow: kw.vars ?? {},
    ...(kw.become !== undefined ? { become: kw.become } : {}),
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
  });
  return loadTaskList(node.child('block'), child);
}
