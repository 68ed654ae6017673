// The V8 code cache of the built program (src/cli/code-cache.ts), through the real CLI: written once
// at the first run, then used as it is; a corrupt one replaced; an unwritable place, or
// PROVISION_NO_CODE_CACHE=1, never shows; `--version` and `--help` never touch it.

import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ensureBuilt, expectNoStack, FIXTURES, INVENTORY, provision, tempDir } from './cli.js';

const CACHE_FILE = /^main-[0-9a-f]{32}\.v8cache$/;
const LIST_TASKS = ['run', join(FIXTURES, 'good.yaml'), '-i', INVENTORY, '-e', 'marker=code-cache', '--list-tasks'];

let tmp: ReturnType<typeof tempDir>;
let home: string;
let xdg: string;
let n = 0;
beforeAll(() => {
  ensureBuilt();
  tmp = tempDir();
}, 120_000);
afterAll(() => tmp.cleanup());
beforeEach(() => {
  n += 1;
  home = join(tmp.dir, `home${n}`);
  xdg = join(tmp.dir, `xdg${n}`);
  mkdirSync(home);
});

const run = (args: readonly string[], env: Record<string, string> = { XDG_CACHE_HOME: xdg }) => {
  const r = provision(args, { home, env });
  expectNoStack(r);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r;
};
const cacheDir = () => join(xdg, 'provision');
const cacheFiles = () => readdirSync(cacheDir());

it('the first run writes one cache file, in a private directory; the next runs use it as it is', () => {
  const first = run(LIST_TASKS);
  expect(first.stdout).toMatch(/tasks:/);
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(CACHE_FILE);
  expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
  const file = join(cacheDir(), files[0]!);
  const written = statSync(file);
  expect(written.size).toBeGreaterThan(10_000);
  expect(written.mode & 0o777).toBe(0o600);

  for (let i = 0; i < 2; i++) {
    expect(run(LIST_TASKS).stdout).toBe(first.stdout);
    const now = statSync(file);
    expect([now.ino, now.mtimeMs, now.size]).toEqual([written.ino, written.mtimeMs, written.size]);
    expect(cacheFiles()).toEqual(files);
  }
});

it('a corrupt cache file is ignored and replaced, then used', () => {
  const clean = run(LIST_TASKS, { PROVISION_NO_CODE_CACHE: '1' }).stdout;
  run(LIST_TASKS);
  const name = cacheFiles()[0]!;
  const file = join(cacheDir(), name);
  const garbage = Buffer.alloc(statSync(file).size, 0x5a);
  writeFileSync(file, garbage);
  const corrupt = statSync(file);

  expect(run(LIST_TASKS).stdout).toBe(clean);
  expect(cacheFiles()).toEqual([name]);
  const replaced = statSync(file);
  expect(replaced.ino).not.toBe(corrupt.ino);
  expect(readFileSync(file).equals(garbage)).toBe(false);

  expect(run(LIST_TASKS).stdout).toBe(clean);
  expect(statSync(file).ino).toBe(replaced.ino);
});

it('writing a cache keeps the 7 most recently written of other builds and node versions, and nothing else is touched', () => {
  mkdirSync(cacheDir(), { recursive: true });
  // Nine caches of other builds, written 1, 2, ... 9 hours ago.
  const others = Array.from({ length: 9 }, (_, i) => `main-${String(i).repeat(32)}.v8cache`);
  others.forEach((name, i) => {
    writeFileSync(join(cacheDir(), name), 'an older build');
    const hoursAgo = Date.now() / 1000 - (i + 1) * 3600;
    utimesSync(join(cacheDir(), name), hoursAgo, hoursAgo);
  });
  writeFileSync(join(cacheDir(), 'notes.txt'), 'not ours');
  run(LIST_TASKS);
  const files = cacheFiles().sort();
  const written = files.filter((name) => CACHE_FILE.test(name) && !others.includes(name));
  expect(written).toHaveLength(1);
  expect(files).toEqual([...others.slice(0, 7), written[0], 'notes.txt'].sort());
});

it('a cache directory that cannot be created costs nothing visible', () => {
  const clean = run(LIST_TASKS, { PROVISION_NO_CODE_CACHE: '1' }).stdout;
  // Root ignores permission bits: a path under a regular file cannot be created by anyone.
  const notADir = join(tmp.dir, `file${n}`);
  writeFileSync(notADir, '');
  expect(run(LIST_TASKS, { XDG_CACHE_HOME: join(notADir, 'cache') }).stdout).toBe(clean);
  expect(run(LIST_TASKS, { XDG_CACHE_HOME: notADir }).stdout).toBe(clean);
  expect(statSync(notADir).isFile()).toBe(true);
});

it('a cache directory that others may write is neither read nor written (cached data is code)', () => {
  const clean = run(LIST_TASKS, { PROVISION_NO_CODE_CACHE: '1' }).stdout;
  run(LIST_TASKS);
  const [file] = cacheFiles();
  const written = statSync(join(cacheDir(), file!));
  chmodSync(cacheDir(), 0o777);
  // A cache file V8 would reject: were it read, the run would write a fresh one over it.
  writeFileSync(join(cacheDir(), file!), 'not a cache');
  expect(run(LIST_TASKS).stdout).toBe(clean);
  expect(readFileSync(join(cacheDir(), file!), 'utf8')).toBe('not a cache');
  expect(cacheFiles()).toEqual([file]);
  chmodSync(cacheDir(), 0o700);
  expect(run(LIST_TASKS).stdout).toBe(clean);
  // Private again: the rejected file is replaced by a real cache.
  expect(statSync(join(cacheDir(), file!)).size).toBeGreaterThan(written.size / 2);
});

it('PROVISION_NO_CODE_CACHE=1 writes nothing', () => {
  run(LIST_TASKS, { XDG_CACHE_HOME: xdg, PROVISION_NO_CODE_CACHE: '1' });
  expect(() => statSync(xdg)).toThrow(/ENOENT/);
});

it('without XDG_CACHE_HOME the cache is in ~/.cache/provision', () => {
  run(LIST_TASKS, {});
  expect(readdirSync(join(home, '.cache', 'provision'))).toEqual([expect.stringMatching(CACHE_FILE)]);
});

it('--version and --help load no program and write no cache', () => {
  for (const args of [['--version'], ['-V'], ['--help'], ['run', '--help']]) {
    expect(run(args).stdout).not.toBe('');
  }
  expect(() => statSync(xdg)).toThrow(/ENOENT/);
  expect(readdirSync(home)).toEqual([]);
});
