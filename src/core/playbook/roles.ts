// Roles: found in the search path, their files loaded once, dependencies (meta/main) expanded before
// the role, each role instance run once per play unless its params differ (Ansible's dedup).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, InputErrors } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { loadYamlFile } from '../yaml.js';
import { ROLE_ENTRY_KEYWORDS, roleEntrySchema, roleMetaSchema } from './keywords.js';
import { schemaErrors } from './schema-issues.js';
import { roleTemplateErrors } from './template-files.js';
import { loadHandlerFile, loadTaskFile } from './task-list.js';
import type { InheritedCondition, TaskScope } from './task-scope.js';
import type { Handler, RoleContext, Step } from './types.js';
import { describeType, isRecord, YamlNode } from './yaml-node.js';

/** A role as listed under `roles:` or in meta dependencies. */
export interface RoleRef {
  name: string;
  params: Record<string, unknown>;
  tags: string[];
  when: InheritedCondition[];
  become?: boolean;
  becomeUser?: string;
  node: YamlNode;
}

export function parseRoleRef(node: YamlNode): RoleRef {
  if (typeof node.value === 'string' && node.value) return { name: node.value, params: {}, tags: [], when: [], node };
  if (!node.isMap()) throw new InputError(`expected a role name or a mapping with 'role:', got ${describeType(node.value)}`, node.loc);
  const nameKey = 'role' in node.value ? 'role' : 'name' in node.value ? 'name' : undefined;
  const name = nameKey ? node.value[nameKey] : undefined;
  if (typeof name !== 'string' || !name) {
    throw new InputError(`a role entry needs 'role: NAME'`, nameKey ? node.child(nameKey).loc : node.loc);
  }
  const keywords = new Set<string>(ROLE_ENTRY_KEYWORDS);
  const known = Object.fromEntries(Object.entries(node.value).filter(([k]) => keywords.has(k) && k !== 'role' && k !== 'name'));
  const inline = Object.fromEntries(Object.entries(node.value).filter(([k]) => !keywords.has(k)));
  const { errors, data } = schemaErrors(roleEntrySchema, known, node, { subject: `role '${name}'`, keyWord: 'keyword' });
  if (errors.length) throw errors.length === 1 && errors[0] ? errors[0] : new InputErrors(errors);
  const kw = data as { vars?: Record<string, unknown>; tags?: string[]; when?: string[]; become?: boolean; become_user?: string };
  const whenNode = node.child('when');
  return {
    name,
    params: { ...kw.vars, ...inline },
    tags: kw.tags ?? [],
    when: (kw.when ?? []).map((expr, i) => ({ expr, loc: whenNode.isList() ? whenNode.locate([i]) : whenNode.loc })),
    ...(kw.become !== undefined ? { become: kw.become } : {}),
    ...(kw.become_user !== undefined ? { becomeUser: kw.become_user } : {}),
    node,
  };
}

interface RoleFiles {
  name: string;
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  dependencies: RoleRef[];
  allowDuplicates: boolean;
  tasksFile?: string;
  handlersFile?: string;
}

/** `DIR/main.yaml` or `DIR/main.yml`. */
export function mainFile(dir: string): string | undefined {
  return ['main.yaml', 'main.yml'].map((f) => join(dir, f)).find((f) => existsSync(f));
}

function loadMapping(file: string | undefined, what: string): Record<string, unknown> {
  if (!file) return {};
  const doc = loadYamlFile(file);
  if (doc.value === null || doc.value === undefined) return {};
  if (!isRecord(doc.value)) throw new InputError(`${what} must be a mapping of variables, got ${describeType(doc.value)}`, doc.locate([]));
  return doc.value;
}

/** True when `path` is `root` or below it (both absolute and normalised). */
function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export class RoleLibrary {
  private readonly cache = new Map<string, RoleFiles>();

  /** searchDirs: directories that contain role directories, in lookup order. */
  constructor(
    readonly searchDirs: readonly string[],
    readonly baseDir: string,
  ) {}

  find(name: string, node: YamlNode): string {
    if (isAbsolute(name)) return this.explicitPath(name, resolve(name), node);
    if (name.includes('/')) {
      // A relative path must not climb out of the project: it stays inside the playbook's directory or a
      // roles directory. Reaching elsewhere takes an absolute path, written deliberately.
      const dir = resolve(this.baseDir, name);
      const roots = [this.baseDir, ...this.searchDirs].map((d) => resolve(d));
      if (!roots.some((root) => isInside(dir, root))) {
        throw new InputError(
          `role '${name}' resolves to ${dir}, outside the playbook directory and the roles path`,
          node.loc,
          `a relative role path must stay inside ${roots.join(', ')}; write an absolute path to use a role elsewhere`,
        );
      }
      return this.explicitPath(name, dir, node);
    }
    if (name === '.' || name === '..') {
      throw new InputError(`'${name}' is not a role name`, node.loc, 'expected the name of a directory in the roles path');
    }
    for (const d of this.searchDirs) {
      const dir = join(d, name);
      if (existsSync(dir) && statSync(dir).isDirectory()) return resolve(dir);
    }
    const known = this.searchDirs.flatMap((d) => {
      try {
        return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
      } catch {
        return [];
      }
    });
    const hint = [didYouMean(name, known), `looked in: ${this.searchDirs.join(', ') || '(no roles directory)'}`].filter(Boolean).join('; ');
    throw new InputError(`role '${name}' not found`, node.loc, hint);
  }

  private explicitPath(name: string, dir: string, node: YamlNode): string {
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
    throw new InputError(`role '${name}' not found`, node.loc, `looked for ${dir}`);
  }

  files(dir: string): RoleFiles {
    const cached = this.cache.get(dir);
    if (cached) return cached;
    const metaFile = mainFile(join(dir, 'meta'));
    let dependencies: RoleRef[] = [];
    let allowDuplicates = false;
    if (metaFile) {
      const meta = YamlNode.root(loadYamlFile(metaFile));
      if (meta.value !== null && meta.value !== undefined) {
        const { errors, data } = schemaErrors(roleMetaSchema, meta.value, meta, { subject: 'role meta', keyWord: 'key' });
        if (errors.length) throw errors.length === 1 && errors[0] ? errors[0] : new InputErrors(errors);
        allowDuplicates = (data as { allow_duplicates?: boolean }).allow_duplicates ?? false;
        dependencies = meta.child('dependencies').items().map(parseRoleRef);
      }
    }
    const tasksFile = mainFile(join(dir, 'tasks'));
    const handlersFile = mainFile(join(dir, 'handlers'));
    const files: RoleFiles = {
      name: basename(dir),
      path: dir,
      defaults: loadMapping(mainFile(join(dir, 'defaults')), 'role defaults'),
      vars: loadMapping(mainFile(join(dir, 'vars')), 'role vars'),
      dependencies,
      allowDuplicates,
      ...(tasksFile ? { tasksFile } : {}),
      ...(handlersFile ? { handlersFile } : {}),
    };
    this.cache.set(dir, files);
    return files;
  }
}

export interface ExpandedRole {
  context: RoleContext;
  steps: Step[];
  handlers: Handler[];
}

type BaseScope = Pick<TaskScope, 'playbookDir' | 'modules' | 'problems' | 'tags' | 'when'> & Partial<Pick<TaskScope, 'become' | 'becomeUser'>>;

/** Roles in run order: each role's dependencies first, duplicates (same role, same params) dropped. */
export function expandRoles(refs: readonly RoleRef[], library: RoleLibrary, base: BaseScope): ExpandedRole[] {
  const seen = new Set<string>();
  const templatesChecked = new Set<string>();
  const out: ExpandedRole[] = [];
  type Inherited = Pick<TaskScope, 'tags' | 'when'> & Partial<Pick<TaskScope, 'become' | 'becomeUser'>>;

  const visit = (ref: RoleRef, chain: { dir: string; name: string }[], inherited: Inherited): void => {
    const dir = library.find(ref.name, ref.node);
    const loop = chain.findIndex((c) => c.dir === dir);
    if (loop >= 0) {
      const names = [...chain.slice(loop).map((c) => c.name), ref.name].join(' -> ');
      throw new InputError(`cycle in role dependencies: ${names}`, ref.node.loc);
    }
    const files = library.files(dir);
    const combined: Inherited = {
      tags: [...new Set([...inherited.tags, ...ref.tags])],
      when: [...inherited.when, ...ref.when],
      ...((ref.become ?? inherited.become) !== undefined ? { become: ref.become ?? inherited.become } : {}),
      ...((ref.becomeUser ?? inherited.becomeUser) !== undefined ? { becomeUser: ref.becomeUser ?? inherited.becomeUser } : {}),
    };
    for (const dep of files.dependencies) visit(dep, [...chain, { dir, name: ref.name }], combined);
    const key = `${dir}\0${JSON.stringify(ref.params)}`;
    if (!files.allowDuplicates && seen.has(key)) return;
    seen.add(key);
    const context: RoleContext = { name: files.name, path: dir, defaults: files.defaults, vars: files.vars, params: ref.params };
    const scope: TaskScope = {
      playbookDir: base.playbookDir,
      modules: base.modules,
      problems: base.problems,
      handlers: false,
      role: context,
      varsBelow: {},
      varsAbove: {},
      fileStack: [],
      ...combined,
    };
    const steps = files.tasksFile ? loadTaskFile(files.tasksFile, scope) : [];
    const handlers = files.handlersFile ? loadHandlerFile(files.handlersFile, scope) : [];
    if (!templatesChecked.has(dir)) {
      templatesChecked.add(dir);
      for (const err of roleTemplateErrors(dir)) base.problems.add(err);
    }
    out.push({ context, steps, handlers });
  };

  for (const ref of refs) {
    base.problems.guard(() => visit(ref, [], { tags: base.tags, when: base.when, ...(base.become !== undefined ? { become: base.become } : {}), ...(base.becomeUser !== undefined ? { becomeUser: base.becomeUser } : {}) }));
  }
  return out;
}
