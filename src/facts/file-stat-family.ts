// fileStat's shell, alone and merged. Alone, a file costs a process for `stat` and one for
// `sha256sum`; merged, the probes of one batch run as one command that starts `stat` once for every
// file present, `sha256sum` once for every file hashed and `readlink` once for every link. The
// output is split by position, never by parsing file names: one line of kinds (a letter per probe),
// then each tool's lines followed by its exit status, except the last tool's: the command execs it
// (the probe's forked shell becomes that tool instead of starting it as one more process), so its
// status is the command's. Anything unexpected (a tool failed, a name or target with a newline that
// makes a line too many) and the probes run one by one instead.

import { quote } from '../core/shell.js';
import type { ExecResult } from '../transport/types.js';
import type { ProbeFamily } from './types.js';

export const STAT_FORMAT = 'stat\t%F\t%a\t%U\t%G\t%u\t%g\t%s\t%Y';

/** What one probe of the family asks (the family itself fixes whether links are followed). */
export interface FileStatInput {
  path: string;
  checksum: boolean;
}

/** The file exists (without follow, a dangling link counts). `p` is quoted. */
export function presentTest(p: string, follow: boolean): string {
  return follow ? `[ -e ${p} ]` : `{ [ -e ${p} ] || [ -L ${p} ]; }`;
}

/** The file's content is hashed: a regular file, and not a link unless links are followed. */
export function hashTest(p: string, follow: boolean): string {
  return `[ -f ${p} ]${follow ? '' : ` && [ ! -L ${p} ]`}`;
}

/** Kinds letters: absent, hashed, link (target read), plain (stat only). */
type Kind = 'a' | 'h' | 'l' | 'p';

const STAT_FIELDS = STAT_FORMAT.split('\t').length;
const HASH_LINE = /^\\?([0-9a-f]{64}) [ *]/;

export function fileStatFamily(follow: boolean): ProbeFamily<FileStatInput> {
  return follow ? FOLLOWING : NOT_FOLLOWING;
}

function family(follow: boolean): ProbeFamily<FileStatInput> {
  return {
    name: follow ? 'file.stat:follow' : 'file.stat',
    command: (inputs) => mergedCommand(inputs, follow),
    split: (result, inputs) => splitMerged(result, inputs, follow),
  };
}

const FOLLOWING = family(true);
const NOT_FOLLOWING = family(false);

function mergedCommand(inputs: readonly FileStatInput[], follow: boolean): string {
  const sorts = inputs.map(({ path, checksum }) => {
    const p = quote(path);
    const branches: string[] = [];
    if (checksum) branches.push(`${hashTest(p, follow)}; then H+=(${p}); k+=h`);
    if (!follow) branches.push(`[ -L ${p} ]; then L+=(${p}); k+=l`);
    const kind = branches.length > 0 ? `if ${branches.join('; elif ')}; else k+=p; fi` : 'k+=p';
    return `if ${presentTest(p, follow)}; then F+=(${p}); ${kind}; else k+=a; fi`;
  });
  return [
    'k=; F=(); H=(); L=()',
    ...sorts,
    `printf '%s\\n' "$k"`,
    // The last tool with files to read is exec'd (H and L hold files F holds too).
    `if [ \${#F[@]} -gt 0 ]; then { [ \${#H[@]} -gt 0 ] || [ \${#L[@]} -gt 0 ]; } || exec stat ${follow ? '-L ' : ''}-c ${quote(STAT_FORMAT)} -- "\${F[@]}"; stat ${follow ? '-L ' : ''}-c ${quote(STAT_FORMAT)} -- "\${F[@]}"; echo "=stat $?"; fi`,
    'if [ ${#H[@]} -gt 0 ]; then [ ${#L[@]} -gt 0 ] || exec sha256sum -- "${H[@]}"; sha256sum -- "${H[@]}"; echo "=sha256 $?"; fi',
    'if [ ${#L[@]} -gt 0 ]; then exec readlink -- "${L[@]}"; fi',
  ].join('\n');
}

function splitMerged(result: ExecResult, inputs: readonly FileStatInput[], follow: boolean): ExecResult[] | undefined {
  // The last tool's status is the command's: 0 or nothing is split.
  if (result.code !== 0 || result.stderr !== '') return undefined;
  const lines = result.stdout.split('\n');
  if (lines.pop() !== '') return undefined;
  const kinds = [...(lines[0] ?? '')] as Kind[];
  const allowed = (kind: Kind, input: FileStatInput) => kind === 'a' || kind === 'p' || (kind === 'h' && input.checksum) || (kind === 'l' && !follow);
  if (kinds.length !== inputs.length || !kinds.every((k, i) => 'ahlp'.includes(k) && allowed(k, inputs[i] as FileStatInput))) return undefined;

  const counts = { stat: kinds.filter((k) => k !== 'a').length, sha256: kinds.filter((k) => k === 'h').length, link: kinds.filter((k) => k === 'l').length };
  const last = counts.link > 0 ? 'link' : counts.sha256 > 0 ? 'sha256' : 'stat';
  let at = 1;
  /** The next `count` lines, then the tool's `=name 0` (but for the last tool, exec'd); undefined unless each line is valid. */
  const section = (name: keyof typeof counts, valid: (line: string) => boolean): string[] | undefined => {
    const count = counts[name];
    if (count === 0) return [];
    const out = lines.slice(at, at + count);
    const marked = name === last || lines[at + count] === `=${name} 0`;
    if (out.length !== count || !marked || !out.every(valid)) return undefined;
    at += count + (name === last ? 0 : 1);
    return out;
  };
  const stats = section('stat', (l) => l.startsWith('stat\t') && l.split('\t').length === STAT_FIELDS);
  const hashes = section('sha256', (l) => HASH_LINE.test(l));
  const targets = section('link', () => true);
  if (!stats || !hashes || !targets || at !== lines.length) return undefined;

  return kinds.map((kind) => {
    if (kind === 'a') return { code: 0, stdout: 'absent\n', stderr: '' };
    let stdout = `${stats.shift()}\n`;
    if (kind === 'h') stdout += `sha256\t${HASH_LINE.exec(hashes.shift() ?? '')?.[1]}\n`;
    if (kind === 'l') stdout += `link\t${targets.shift()}\n`;
    return { code: 0, stdout, stderr: '' };
  });
}
