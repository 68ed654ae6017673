// Playbook files -> the validated Playbook model. Every error carries file:line:col; independent
// errors (one per task, play or file) are collected and thrown together as InputErrors.

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, InputErrors } from '../errors.js';
import { renderValue } from '../template.js';
import { loadYamlFile } from '../yaml.js';
import { modulesByName } from '../../modules/index.js';
import type { ModuleDefinition } from '../../modules/types.js';
import { playKeywordSchema } from './keywords.js';
import { checkNotifications } from './notify.js';
import { Problems } from './problems.js';
import { expandRoles, parseRoleRef, RoleLibrary, type RoleRef } from './roles.js';
import { schemaErrors } from './schema-issues.js';
import { leafTasks } from './steps.js';
import { loadTaskList } from './task-list.js';
import type { TaskScope } from './task-scope.js';
import type { Handler, Play, Playbook, Step } from './types.js';
import { describeType, isRecord, YamlNode } from './yaml-node.js';

export interface LoadOptions {
  extraVars?: Record<string, unknown>;
  /** Extra directories holding roles (after roles/ beside the playbook and its parent dir). */
  rolesPath?: string[];
  /** Module registry (tests pass their own). */
  modules?: ReadonlyMap<string, ModuleDefinition>;
}

type PlayKeywords = import('zod').output<typeof playKeywordSchema>;

/** roles/ beside the playbook, then beside its parent dir (playbooks/ and roles/ as siblings), then rolesPath. */
export function roleSearchDirs(playbookDir: string, rolesPath: readonly string[] = []): string[] {
  return [...new Set([join(playbookDir, 'roles'), join(dirname(playbookDir), 'roles'), ...rolesPath.map((p) => resolve(p))])];
}

export function loadPlaybook(path: string, options: LoadOptions = {}): Playbook {
  const file = resolve(path);
  const problems = new Problems();
  const plays = loadPlays(file, options, problems, []);
  problems.throwIfAny();
  return { path: file, dir: dirname(file), plays };
}

function loadPlays(file: string, options: LoadOptions, problems: Problems, stack: string[]): Play[] {
  const root = YamlNode.root(loadYamlFile(file));
  if (!root.isList()) {
    throw new InputError(`a playbook is a list of plays, got ${describeType(root.value)}`, root.loc, "start each play with '- hosts: PATTERN'");
  }
  const plays: Play[] = [];
  for (const node of root.items()) {
    const loaded = problems.guard(() => {
      if (node.isMap() && 'import_playbook' in node.value) return importPlaybook(node, options, problems, [...stack, file]);
      return [loadPlay(node, options, problems)];
    });
    if (loaded) plays.push(...loaded);
  }
  return plays;
}

function importPlaybook(node: YamlNode & { value: Record<string, unknown> }, options: LoadOptions, problems: Problems, stack: string[]): Play[] {
  const extra = node.keys().filter((k) => k !== 'import_playbook' && k !== 'name');
  if (extra[0]) throw new InputError(`unknown keyword '${extra[0]}' for import_playbook (only 'name' is allowed)`, node.keyLoc(extra[0]));
  const target = node.child('import_playbook');
  if (typeof target.value !== 'string' || target.value.includes('<%')) {
    throw new InputError(`'import_playbook' expects a static file name, got ${describeType(target.value)}`, target.loc);
  }
  const file = resolve(dirname(node.file), target.value);
  if (!existsSync(file)) throw new InputError(`playbook '${target.value}' not found`, target.loc, `looked for ${file}`);
  if (stack.includes(file)) throw new InputError(`import_playbook cycle: ${[...stack, file].join(' -> ')}`, target.loc);
  return loadPlays(file, options, problems, stack);
}

function throwAll(errors: InputError[]): void {
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}

/** Loads vars_files (relative to the playbook; templates rendered with play and extra vars). */
function loadVarsFiles(node: YamlNode, files: string[], vars: Record<string, unknown>, extraVars: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  files.forEach((name, i) => {
    const itemNode = node.isList() ? node.child(i) : node;
    const rendered = String(renderValue(name, { ...vars, ...merged, ...extraVars }, itemNode.loc));
    const file = isAbsolute(rendered) ? rendered : join(dirname(node.file), rendered);
    if (!existsSync(file)) throw new InputError(`vars file '${rendered}' not found`, itemNode.loc, `looked for ${file}`);
    const doc = loadYamlFile(file);
    if (doc.value === null || doc.value === undefined) return;
    if (!isRecord(doc.value)) throw new InputError(`a vars file must be a mapping of variables, got ${describeType(doc.value)}`, doc.locate([]));
    Object.assign(merged, doc.value);
  });
  return merged;
}

function loadPlay(node: YamlNode, options: LoadOptions, problems: Problems): Play {
  if (!node.isMap()) throw new InputError(`expected a play (a mapping with 'hosts:'), got ${describeType(node.value)}`, node.loc);
  const { errors, data } = schemaErrors(playKeywordSchema, node.value, node, { subject: 'play', keyWord: 'keyword', extraNames: ['import_playbook'] });
  throwAll(errors);
  const kw = data as PlayKeywords;
  const playbookDir = dirname(node.file);
  const modules = options.modules ?? modulesByName;
  const playVars = { ...kw.vars, ...(kw.vars_files ? loadVarsFiles(node.child('vars_files'), kw.vars_files, kw.vars ?? {}, options.extraVars ?? {}) : {}) };
  const tags = kw.tags ?? [];
  const scope = (handlers: boolean): TaskScope => ({
    playbookDir,
    modules,
    problems,
    handlers,
    when: [],
    tags,
    varsBelow: {},
    varsAbove: {},
    fileStack: [resolve(node.file)],
  });
  const section = (key: string, handlers = false): Step[] => loadTaskList(node.child(key), scope(handlers));

  const preTasks = section('pre_tasks');
  const roleRefs = node.child('roles').items().flatMap((n) => problems.guard(() => [parseRoleRef(n)]) ?? ([] as RoleRef[]));
  const library = new RoleLibrary(roleSearchDirs(playbookDir, options.rolesPath), playbookDir);
  const roles = expandRoles(roleRefs, library, { playbookDir, modules, problems, tags, when: [] });
  const tasks = section('tasks');
  const postTasks = section('post_tasks');
  const handlers = [...roles.flatMap((r) => r.handlers), ...(leafTasks(section('handlers', true)) as Handler[])];

  const body = [...preTasks, ...roles.flatMap((r) => r.steps), ...tasks, ...postTasks];
  const allTasks = leafTasks(body);
  for (const err of checkNotifications([...allTasks, ...handlers], handlers)) problems.add(err);
  return {
    name: kw.name ?? kw.hosts,
    hosts: kw.hosts,
    become: kw.become ?? false,
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
    vars: playVars,
    body,
    tasks: allTasks,
    handlers,
    ...(kw.serial !== undefined ? { serial: kw.serial } : {}),
    strategy: kw.strategy ?? 'linear',
    gatherFacts: kw.gather_facts ?? true,
    roles: roles.map((r) => r.context),
    tags,
    location: node.loc,
    hostsLocation: node.child('hosts').loc,
  };
}

export interface RoleAsPlayOptions extends LoadOptions {
  /** Directory whose roles/ is searched first (default: the current directory). */
  cwd?: string;
}

/** One play running one role (with its dependencies, defaults and handlers), for `provision role NAME`. */
export function loadRoleAsPlay(roleName: string, hostsPattern: string, options: RoleAsPlayOptions = {}): Playbook {
  const cwd = resolve(options.cwd ?? process.cwd());
  const problems = new Problems();
  const modules = options.modules ?? modulesByName;
  const library = new RoleLibrary([...new Set([join(cwd, 'roles'), ...(options.rolesPath ?? []).map((p) => resolve(p))])], cwd);
  const origin = YamlNode.root({ file: `role ${roleName}`, value: roleName, locate: () => ({ file: `role ${roleName}` }), locateKey: () => ({ file: `role ${roleName}` }) });
  const ref: RoleRef = { name: roleName, params: {}, tags: [], when: [], node: origin };
  const roles = expandRoles([ref], library, { playbookDir: cwd, modules, problems, tags: [], when: [] });
  problems.throwIfAny();
  const handlers = roles.flatMap((r) => r.handlers);
  const body = roles.flatMap((r) => r.steps);
  const tasks = leafTasks(body);
  for (const err of checkNotifications([...tasks, ...handlers], handlers)) problems.add(err);
  problems.throwIfAny();
  const location = { file: roles.at(-1)?.context.path ?? cwd };
  return {
    path: location.file,
    dir: cwd,
    plays: [
      {
        name: `role ${roleName}`,
        hosts: hostsPattern,
        become: true,
        vars: {},
        body,
        tasks,
        handlers,
        strategy: 'linear',
        gatherFacts: true,
        roles: roles.map((r) => r.context),
        tags: [],
        location,
      },
    ],
  };
}
