// A temp tree as comparable lines: path, type, permission bits, and content or link target, with the
// tree's own path and backup timestamps normalised so two separate trees can be compared.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const BACKUP_SUFFIX = /\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/;

function normalise(text: string, root: string): string {
  return text.split(root).join('@T@');
}

function describeContent(bytes: Buffer, root: string): string {
  const text = normalise(bytes.toString('utf8'), root);
  if (text.length <= 300) return JSON.stringify(text);
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

export function snapshot(root: string): string[] {
  const lines: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const relPath = (rel ? `${rel}/${name}` : name).replace(BACKUP_SUFFIX, '.BACKUP~');
      const st = lstatSync(path);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) lines.push(`${relPath} link -> ${normalise(readlinkSync(path), root)}`);
      else if (st.isDirectory()) {
        lines.push(`${relPath} dir ${mode}`);
        walk(path, relPath);
      } else if (st.isFile()) lines.push(`${relPath} file ${mode} ${describeContent(readFileSync(path), root)}`);
      else lines.push(`${relPath} other ${mode}`);
    }
  };
  walk(root, '');
  return lines;
}

/** A fresh tree under `parent`, with the case's setup script run in it. */
export function freshTree(parent: string, name: string, setup: string | undefined): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  if (setup) execFileSync('bash', ['-euo', 'pipefail', '-c', setup], { cwd: dir, stdio: 'pipe' });
  return dir;
}
