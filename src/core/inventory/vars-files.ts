// group_vars/ and host_vars/ as Ansible's host_group_vars plugin reads them: for an entity NAME,
// the first of NAME (file or directory), NAME.yml, NAME.yaml, NAME.json; a directory contributes
// its files recursively in lexical order (hidden files and `~` backups skipped), each a mapping,
// later files overriding earlier ones.

import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError } from '../errors.js';
import { loadYamlFile } from '../yaml.js';
import { describeValue, isMapping } from './mapping.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function filesInDir(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    const stat = statOf(full);
    if (stat?.isDirectory() && !ext) found.push(...filesInDir(full));
    else if (stat?.isFile() && (!ext || EXTENSIONS.includes(ext))) found.push(full);
  }
  return found;
}

/** The vars files for `name` in `dir` (e.g. inventory/group_vars), in the order they apply. */
export function findVarsFiles(dir: string, name: string): string[] {
  // Names such as chroot paths are not looked up, as in Ansible.
  if (name.includes('/')) return [];
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext);
    const stat = statOf(path);
    if (!stat) continue;
    return stat.isDirectory() ? filesInDir(path) : [path];
  }
  return [];
}

/** Reads one vars file: a mapping of variable names, or an empty file. */
export function readVarsFile(file: string): Record<string, unknown> {
  const doc = loadYamlFile(file, { version: '1.1' });
  if (doc.value === null || doc.value === undefined) return {};
  if (!isMapping(doc.value)) {
    throw new InputError(
      `a vars file must be a mapping of variable names to values, found ${describeValue(doc.value)}`,
      doc.locate([]),
    );
  }
  return doc.value;
}

/** Variables of `name` from `<baseDir>/<kind>/`, merged in file order. */
export function loadVarsFor(baseDir: string, kind: 'group_vars' | 'host_vars', name: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const file of findVarsFiles(join(baseDir, kind), name)) Object.assign(merged, readVarsFile(file));
  return merged;
}
