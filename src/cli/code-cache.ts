// Runs the program's CommonJS bundle (dist/main.cjs) with a V8 code cache, so that each run does not
// compile the whole bundle again (Node 20 has no compile cache for ES modules; `vm.Script` takes
// `cachedData` for CommonJS-shaped code). The cache is written once, at the first run's exit, so it
// also holds the functions that run compiled lazily, and again only when V8 rejects it.
//
// The cache holds V8's compiled code of our own bundle's source and nothing else: no runtime data
// (no variables, inventory, facts or secrets) is ever in it.
//
// Its key hashes the bundle's bytes with node's version and architecture: V8's own check of cached
// data compares only the source's length. Any failure to read or write it is ignored: a read-only or
// missing home, a full disk or a corrupt file cost a compilation, never the run or a line of output.
// PROVISION_NO_CODE_CACHE=1 turns it off.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const CACHE_FILE = /^main-[0-9a-f]{32}\.v8cache$/;
// Caches kept in the directory: a few, so that two builds run in turn (an A/B benchmark, two clones)
// do not evict each other's at every run, and the directory stays small (about 1 MB each).
const KEEP_CACHES = 8;

/** `$XDG_CACHE_HOME/provision`, else `~/.cache/provision`; undefined without a home. */
function cacheDir(): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'provision');
  try {
    const home = homedir();
    return home === '' ? undefined : join(home, '.cache', 'provision');
  } catch {
    return undefined;
  }
}

function cacheFileFor(bundle: Buffer): string | undefined {
  const dir = cacheDir();
  if (dir === undefined) return undefined;
  const key = createHash('sha256').update(bundle).update(`\0${process.version}\0${process.arch}`).digest('hex');
  return join(dir, `main-${key.slice(0, 32)}.v8cache`);
}

/**
 * The cache's bytes, only from a file and directory that this user owns and nobody else may write:
 * cached data is code V8 runs (as root, on a production control machine), so a cache another user
 * could have written (a shared XDG_CACHE_HOME) is ignored, and then left alone.
 */
function readCache(file: string): Buffer | undefined {
  try {
    if (!ownedAndPrivate(dirname(file)) || !ownedAndPrivate(file)) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function ownedAndPrivate(path: string): boolean {
  const st = statSync(path);
  return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

/** Removes the least recently written caches (other bundles or node versions) beyond KEEP_CACHES. */
function pruneCaches(dir: string, current: string): void {
  const others = readdirSync(dir)
    .filter((name) => CACHE_FILE.test(name) && join(dir, name) !== current)
    .map((name) => ({ path: join(dir, name), written: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const old of others.slice(KEEP_CACHES - 1)) rmSync(old.path, { force: true });
}

/** The cache may be (re)written here: no directory yet, or one this user owns that nobody else may write. */
function canWriteCacheAt(file: string): boolean {
  try {
    return ownedAndPrivate(dirname(file));
  } catch {
    return true;
  }
}

/** Writes `data` to `file` atomically (a reader sees the old file or the whole new one), then prunes. */
function writeCache(file: string, data: Buffer): void {
  const dir = dirname(file);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
    pruneCaches(dir, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing was written (no such directory).
    }
  }
}

/** Loads the CommonJS bundle at `url` and returns its exports. */
export function runCommonJsBundle(url: URL): unknown {
  const path = fileURLToPath(url);
  // node --enable-source-maps maps the stacks of what require() loads, not of a vm.Script's code.
  if (process.sourceMapsEnabled) return createRequire(path)(path) as unknown;
  const bytes = readFileSync(path);
  const useCache = process.env.PROVISION_NO_CODE_CACHE !== '1';
  const file = useCache ? cacheFileFor(bytes) : undefined;
  const cachedData = file === undefined ? undefined : readCache(file);
  const script = new Script(Module.wrap(bytes.toString('utf8')), { filename: path, ...(cachedData ? { cachedData } : {}) });
  if (file !== undefined && (cachedData === undefined || script.cachedDataRejected === true) && canWriteCacheAt(file)) {
    // At exit, whichever way the run ends: the cache then has every function this run compiled.
    process.once('exit', () => {
      try {
        writeCache(file, script.createCachedData());
      } catch {
        // createCachedData failed: no cache this time.
      }
    });
  }
  const bundleModule = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: { exports: unknown }, filename: string, dirname: string) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(path), bundleModule, path, dirname(path));
  return bundleModule.exports;
}
