// fileStat takes the hash's first word with the shell instead of `| cut`: run the probe and the line it
// replaced on real files (regular, empty, odd name, link, followed link, dangling link, directory,
// missing) and compare what they print, byte for byte, and what the parser makes of it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote } from '../../../src/core/shell.js';
import { fileStat, parseFileStat } from '../../../src/facts/files.js';

const root = mkdtempSync(join(tmpdir(), 'stat-probe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, 'hello.txt'), 'hello\n');
writeFileSync(join(root, 'empty'), '');
writeFileSync(join(root, "odd name 'q' -x"), 'odd\n');
symlinkSync(join(root, 'hello.txt'), join(root, 'link'));
symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
mkdirSync(join(root, 'dir'));

/** The probe's command before: `sha256sum < FILE | cut -d' ' -f1`. */
function cutCommand(path: string, follow: boolean): string {
  const p = quote(path);
  const L = follow ? '-L ' : '';
  const sum = `if [ -f ${p} ]${follow ? '' : ` && [ ! -L ${p} ]`}; then printf 'sha256\\t'; sha256sum < ${p} | cut -d' ' -f1; fi; `;
  const link = follow ? '' : `if [ -L ${p} ]; then printf 'link\\t'; readlink -- ${p}; fi; `;
  const present = follow ? `[ -e ${p} ]` : `{ [ -e ${p} ] || [ -L ${p} ]; }`;
  return `if ${present}; then stat ${L}-c 'stat\t%F\t%a\t%U\t%G\t%u\t%g\t%s\t%Y' -- ${p} && { ${sum}${link}true; }; else echo absent; fi`;
}

const bash = (command: string): string => execFileSync('bash', ['-c', command], { encoding: 'utf8' });

describe('fileStat hashes without cut', () => {
  const cases = ['hello.txt', 'empty', "odd name 'q' -x", 'link', 'dangling', 'dir', 'missing'].flatMap((name) =>
    [false, true].map((follow) => [name, follow] as const),
  );
  it.each(cases)('%s (follow %s) prints what the cut line printed', (name, follow) => {
    const path = join(root, name);
    const out = bash(fileStat(path, { follow }).command);
    expect(out).toBe(bash(cutCommand(path, follow)));
    expect(parseFileStat({ code: 0, stdout: out, stderr: '' })).toEqual(parseFileStat({ code: 0, stdout: bash(cutCommand(path, follow)), stderr: '' }));
  });

  it('gives the content hash of a regular file, and none for a link unless followed', () => {
    const want = createHash('sha256').update('hello\n').digest('hex');
    expect(parseFileStat({ code: 0, stdout: bash(fileStat(join(root, 'hello.txt')).command), stderr: '' })).toMatchObject({ sha256: want });
    expect(parseFileStat({ code: 0, stdout: bash(fileStat(join(root, 'link'), { follow: true }).command), stderr: '' })).toMatchObject({ sha256: want });
    expect(parseFileStat({ code: 0, stdout: bash(fileStat(join(root, 'link')).command), stderr: '' })).not.toHaveProperty('sha256');
  });
});
