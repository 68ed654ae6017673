// Runs the real, bundled CLI (`node bin/provision.js ...`) in a child process, as a user would.
// The bundle is rebuilt once (under a lock, test files run in parallel) when src/ is newer than it.
// Every run gets its own HOME and temp dir, so nothing outside the temp dirs is ever written.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures/cli');
export const INVENTORY = join(FIXTURES, 'inventory.yaml');
const BIN = join(ROOT, 'bin/provision.js');
// The entry (--version, --help) and the program it runs through the code cache.
const BUNDLES = [join(ROOT, 'dist/provision.js'), join(ROOT, 'dist/main.cjs')];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function isFresh(): boolean {
  if (!BUNDLES.every((bundle) => existsSync(bundle))) return false;
  const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'scripts/build.mjs')), newestMtime(join(ROOT, 'package.json')));
  return Math.min(...BUNDLES.map((bundle) => statSync(bundle).mtimeMs)) >= sources;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ when it is missing or older than src/ (call from beforeAll). */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = join(ROOT, 'node_modules/.cache/provision-cli-test-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 60_000) rmSync(lock, { recursive: true, force: true }); // a crashed run left it
      else sleep(200);
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the build (scripts/build.mjs) failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'provision-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `provision ARGS` in `cwd` (default: the fixtures) with a private HOME and no SSH agent; `env`
 * adds variables (the code cache's XDG_CACHE_HOME, by default under the private HOME).
 */
export function provision(args: readonly string[], options: { cwd?: string; home: string; env?: Record<string, string> }): CliResult {
  // The hosts are this machine: their run lock and pending handlers live in the private HOME too.
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: options.home, NO_COLOR: '1', PROVISION_STATE_DIR: join(options.home, 'state') };
  for (const name of ['PROVISION_INVENTORY', 'SSH_AUTH_SOCK', 'CI', 'FORCE_COLOR', 'XDG_CACHE_HOME', 'PROVISION_NO_CODE_CACHE']) delete env[name];
  Object.assign(env, options.env);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? FIXTURES,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace and no error prefix of node's own anywhere in the output. */
export function expectNoStack(r: CliResult): void {
  const all = r.stdout + r.stderr;
  expect(all).not.toMatch(/^\s+at /m);
  expect(all).not.toMatch(/^\w*Error:/m);
  expect(all).not.toMatch(/internal error/);
  expect(all).not.toMatch(/node:internal|Node\.js v\d/);
}

/**
 * Invalid input: exit code 4, nothing on stdout, and stderr is one paragraph (no blank line) that
 * starts with `error: WHERE: `, and the rest matches `what`.
 */
export function expectInputError(r: CliResult, where: string, what: RegExp): void {
  expectNoStack(r);
  expect(r.stderr.startsWith(`error: ${where}: `), `stderr should start with "error: ${where}: " but is:\n${r.stderr}`).toBe(true);
  expect(r.stderr.slice(`error: ${where}: `.length).trimEnd()).toMatch(what);
  const paragraph = r.stderr.replace(/^\[WARNING\]:.*\n/gm, '').trimEnd();
  expect(paragraph).not.toMatch(/\n\s*\n/);
  expect(r.stdout).toBe('');
  expect(r.status).toBe(4);
}
