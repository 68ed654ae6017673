// File facts: stat (with checksum), content (base64, so binary survives the text channel), existence
// (with glob patterns, for creates/removes), and a recursive attribute check for `file recurse=yes`.

import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import { fileStatFamily, hashTest, presentTest, STAT_FORMAT } from './file-stat-family.js';
import { probeFailure } from './probe-error.js';
import type { Probe } from './types.js';

export type FileType = 'file' | 'directory' | 'link' | 'other';

export type FileStat =
  | { exists: false }
  | {
      exists: true;
      type: FileType;
      /** Four octal digits, e.g. "0644" or "4755". */
      mode: string;
      owner: string;
      group: string;
      uid: number;
      gid: number;
      size: number;
      /** Seconds since the epoch. */
      mtime: number;
      /** Regular files only, and only when asked for. */
      sha256?: string;
      linkTarget?: string;
    };

export interface FileStatOptions {
  /** Stat what a symlink points to (stat -L) instead of the link itself. */
  follow?: boolean;
  /** Compute sha256 of regular files (default true). */
  checksum?: boolean;
}

export function fileStat(path: string, options: FileStatOptions = {}): Probe<FileStat> {
  const follow = options.follow === true;
  const checksum = options.checksum !== false;
  const p = quote(path);
  const L = follow ? '-L ' : '';
  // sha256sum reads stdin so that odd file names never change its output format; its hash is the
  // first word, cut by the shell (a `| cut` was one more process on every file task).
  const sum = checksum ? `if ${hashTest(p, follow)}; then { h=$(sha256sum); } < ${p}; printf 'sha256\\t%s\\n' "\${h%% *}"; fi; ` : '';
  const link = follow ? '' : `if [ -L ${p} ]; then printf 'link\\t'; readlink -- ${p}; fi; `;
  const command = `if ${presentTest(p, follow)}; then stat ${L}-c ${quote(STAT_FORMAT)} -- ${p} && { ${sum}${link}true; }; else echo absent; fi`;
  return {
    key: `file.stat:${follow ? 'follow:' : ''}${checksum ? '' : 'nosum:'}${path}`,
    command,
    parse: parseFileStat,
    // Merged, the tools take the path as an argument: `-` would mean their standard input.
    ...(path === '-' ? {} : { merge: { family: fileStatFamily(follow), input: { path, checksum } } }),
  };
}

function fileType(kind: string): FileType {
  if (kind === 'regular file' || kind === 'regular empty file') return 'file';
  if (kind === 'directory') return 'directory';
  if (kind === 'symbolic link') return 'link';
  return 'other';
}

export function parseFileStat(result: ExecResult): FileStat {
  const lines = result.stdout.split('\n');
  if (lines[0] === 'absent') return { exists: false };
  const statLine = lines.find((l) => l.startsWith('stat\t'));
  if (!statLine) throw probeFailure('cannot stat file', result);
  const [, kind = '', mode = '', owner = '', group = '', uid = '', gid = '', size = '', mtime = ''] = statLine.split('\t');
  const stat: FileStat = {
    exists: true,
    type: fileType(kind),
    mode: mode.padStart(4, '0'),
    owner,
    group,
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    mtime: Number(mtime),
  };
  for (const line of lines) {
    if (line.startsWith('sha256\t')) stat.sha256 = line.slice('sha256\t'.length).trim();
    else if (line.startsWith('link\t')) stat.linkTarget = line.slice('link\t'.length);
  }
  return stat;
}

export type FileContent = { exists: false } | { exists: true; content: Buffer };

/** Content of a regular file (following links); absent when there is no regular file at the path. */
export function fileContent(path: string): Probe<FileContent> {
  const p = quote(path);
  return {
    key: `file.content:${path}`,
    command: `if [ -f ${p} ]; then echo present; base64 -w0 < ${p}; echo; else echo absent; fi`,
    parse: parseFileContent,
  };
}

export function parseFileContent(result: ExecResult): FileContent {
  const nl = result.stdout.indexOf('\n');
  const head = nl === -1 ? result.stdout : result.stdout.slice(0, nl);
  if (head === 'absent') return { exists: false };
  if (head !== 'present' || result.code !== 0) {
    throw probeFailure('cannot read file', result);
  }
  return { exists: true, content: Buffer.from(result.stdout.slice(nl + 1).trim(), 'base64') };
}

const GLOB = /[*?[]/;

/** Whether a path exists (a dangling link counts); a pattern with * ? [ matches any existing file. */
export function pathExists(path: string): Probe<boolean> {
  const p = quote(path);
  // compgen -G expands the pattern itself, so the quoted word reaches it intact.
  const test = GLOB.test(path) ? `compgen -G ${p} >/dev/null` : `{ [ -e ${p} ] || [ -L ${p} ]; }`;
  return {
    key: `path.exists:${path}`,
    command: `if ${test}; then echo yes; else echo no; fi`,
    parse: parsePathExists,
  };
}

export function parsePathExists(result: ExecResult): boolean {
  const out = result.stdout.trim();
  if (out === 'yes') return true;
  if (out === 'no') return false;
  throw probeFailure('cannot test path', result);
}

export interface TreeAttributes {
  owner?: string;
  group?: string;
  /** Octal mode ("0644") that every entry must have. */
  mode?: string;
}

const NUMERIC = /^\d+$/;

/** True when some entry under a directory (itself included) differs from the wanted owner/group/mode. */
/** Type (find's %y letter: d, f, l...) and octal mode of everything under a path, itself included. */
export interface TreeEntry {
  type: string;
  mode: string;
}

/** The modes in a tree, for a symbolic mode (which find -perm cannot test: each entry resolves it from its own mode). */
export function treeModes(path: string): Probe<TreeEntry[]> {
  return {
    key: `file.treemodes:${path}`,
    command: `find ${quote(path)} -printf '%y %m\\n' 2>/dev/null || true`,
    parse: (result) =>
      result.stdout
        .split('\n')
        .filter((l) => l.includes(' '))
        .map((l) => {
          const [type = '', mode = ''] = l.split(' ');
          return { type, mode: mode.padStart(4, '0') };
        }),
  };
}

export function treeDiffers(path: string, want: TreeAttributes): Probe<boolean> {
  const tests: string[] = [];
  if (want.owner) tests.push(`! ${NUMERIC.test(want.owner) ? '-uid' : '-user'} ${quote(want.owner)}`);
  if (want.group) tests.push(`! ${NUMERIC.test(want.group) ? '-gid' : '-group'} ${quote(want.group)}`);
  if (want.mode) tests.push(`! -perm ${quote(want.mode)}`);
  const expr = tests.length > 0 ? tests.join(' -o ') : '-false';
  // An unknown user or group makes find fail: report "differs" so that chown runs and reports it.
  return {
    key: `file.treediff:${path}:${want.owner ?? ''}:${want.group ?? ''}:${want.mode ?? ''}`,
    command: `{ out=$(find ${quote(path)} \\( ${expr} \\) -print -quit); } 2>/dev/null || { echo differs; exit 0; }; if [ -n "$out" ]; then echo differs; else echo same; fi`,
    parse: (result) => result.stdout.trim() !== 'same',
  };
}
