#!/usr/bin/env node
// What the run history costs a run (prints, asserts nothing; local connections only, temp dirs):
//  1. in process: startRunHistory + one record() per event + finish() (end record, close, prune of a
//     full folder), with the events of a real no-op run of test/fixtures/cli/good.yaml;
//  2. end to end: the same no-op run through the CLI, with and without --no-history, alternated.
// The history's code is bundled from src/ with esbuild, as the CLI bundles it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'provision-bench-history-'));
const fixtures = join(root, 'test/fixtures/cli');
const cli = (args) => spawnSync(process.execPath, [join(root, 'bin/provision.js'), ...args], { cwd: fixtures, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

try {
  const marker = join(work, 'marker');
  const base = ['run', 'good.yaml', '-i', 'inventory.yaml', '-e', `marker=${marker}`, '--no-history'];
  cli(base); // converge once: the runs below are no-op runs
  const events = cli([...base, '--json']).stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    `export { startRunHistory } from ${JSON.stringify(join(root, 'src/cli/run-history.ts'))};
     export { loadPlaybook } from ${JSON.stringify(join(root, 'src/core/playbook/index.ts'))};
     export { loadInventory } from ${JSON.stringify(join(root, 'src/core/inventory/index.ts'))};
     export { toRunOptions } from ${JSON.stringify(join(root, 'src/cli/run-flags.ts'))};`,
  );
  // Inside the repository, so that the bundle's external packages resolve from node_modules.
  const bundle = join(root, 'node_modules/.cache', `bench-history-${process.pid}.mjs`);
  await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning', define: { PROVISION_VERSION: '"bench"' } });
  const m = await import(pathToFileURL(bundle).href);
  rmSync(bundle);
  const playbook = m.loadPlaybook(join(fixtures, 'good.yaml'), { extraVars: { marker } });
  const inventory = m.loadInventory(join(fixtures, 'inventory.yaml'), { playbookDir: fixtures });
  const historyDir = process.env.BENCH_HISTORY_DIR ?? join(work, 'runs');
  const flags = { forks: '10', timeout: '15', verbose: 0, historyDir, extraVars: [`marker=${marker}`] };
  const options = m.toRunOptions(flags, { retryFile: false });
  const once = () => {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const h = m.startRunHistory(playbook, inventory, options, flags);
    for (const e of events) h.record(e);
    h.finish(0);
    const cpu = process.cpuUsage(c0);
    return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: (cpu.user + cpu.system) / 1000 };
  };
  if (process.argv[2] === '--child') {
    // One run's history in a fresh process, as the CLI pays it: cold code, cold caches.
    process.stdout.write(JSON.stringify(once()));
  } else {
    for (let i = 0; i < 55; i++) once(); // fill the folder past its 50 runs: every later finish() prunes one
    const warm = Array.from({ length: 200 }, once);
    const cold = Array.from({ length: 30 }, () => JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', env: { ...process.env, BENCH_HISTORY_DIR: historyDir } }).stdout));
    const show = (xs, k) => `median ${median(xs.map((x) => x[k])).toFixed(2)} ms, p95 ${p95(xs.map((x) => x[k])).toFixed(2)} ms`;
    console.log(`history of a no-op run (${events.length} events), folder full (each run prunes one):`);
    console.log(`  first run in a fresh process (x30): wall ${show(cold, 'wall')}; CPU ${show(cold, 'cpu')}`);
    console.log(`  warm, same process (x200):          wall ${show(warm, 'wall')}; CPU ${show(warm, 'cpu')}`);
  }

  if (process.argv[2] === '--child') process.exit(0);
  // The CLI's own CPU time (user + system, printed at exit by a preloaded hook), which the other
  // work on a shared machine disturbs much less than wall time.
  const cpuHook = 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("CPU_US="+(u.user+u.system)+"\\n")})';
  const cliRun = (args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', cpuHook, join(root, 'bin/provision.js'), ...args], { cwd: fixtures, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: Number(/CPU_US=(\d+)/.exec(r.stderr)?.[1]) / 1000 };
  };
  const runs = { off: [], on: [] };
  for (let i = 0; i < 25; i++) {
    for (const mode of ['off', 'on']) {
      runs[mode].push(cliRun(['run', 'good.yaml', '-i', 'inventory.yaml', '-e', `marker=${marker}`, ...(mode === 'off' ? ['--no-history'] : ['--history-dir', historyDir])]));
    }
  }
  const med = (xs, k) => median(xs.map((x) => x[k])).toFixed(1);
  console.log(`whole CLI, no-op run (x25 each, alternated): --no-history wall ${med(runs.off, 'wall')} ms, CPU ${med(runs.off, 'cpu')} ms; with the history wall ${med(runs.on, 'wall')} ms, CPU ${med(runs.on, 'cpu')} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
