// What the live tree costs the node process, without hosts, shells or the lab: a long run's events
// (PLAYS x TASKS x HOSTS, one task every TASK_MS as a no-op run on the lab goes) fed to the tty
// reporter drawing to a 140x45 terminal, against the same events fed to the plain reporter. The CPU
// (process.cpuUsage) of the tty reporter minus that of the plain one is what the tree costs a run,
// printed per task; a deterministic complement to tty-local, whose wall times the machine's load moves.
// Builds src/report with esbuild (a dev dependency) into a temp module inside bench/ (for listr2).
//   node bench/tty-render.mjs [--runs N]
// SRC=dir measures another tree's src/ (an older commit: git archive COMMIT src | tar -x -C dir).

import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { benchDir, parseArgs, root, stats } from './lib.mjs';

const PLAYS = 3;
const TASKS = 120;
const HOSTS = 5;
const TASK_MS = 10;

/** A terminal that only counts: isTTY, 140x45, every write discarded. */
function terminal() {
  const out = new Writable({
    write(chunk, _enc, done) {
      out.bytes += chunk.length;
      done();
    },
  });
  Object.assign(out, { isTTY: true, columns: 140, rows: 45, bytes: 0 });
  return out;
}

async function* runEvents() {
  const hosts = Array.from({ length: HOSTS }, (_, i) => `host${i + 1}`);
  yield { type: 'run_start', playbook: 'site.yaml', check: false, diff: false, hosts };
  for (let p = 1; p <= PLAYS; p++) {
    const play = `play ${p}`;
    yield { type: 'play_start', play, hosts };
    for (let t = 1; t <= TASKS; t++) {
      const task = `role${p} : task number ${t} of the play`;
      yield { type: 'task_start', play, task, hosts, handler: false, location: `roles/r${p}/tasks/main.yaml:${t * 3}:3` };
      await new Promise((resolve) => setTimeout(resolve, TASK_MS));
      for (const host of hosts) {
        yield { type: 'result', host, task, status: 'ok', duration_ms: TASK_MS, round_trips: 1, handler: false, check: false };
      }
      yield { type: 'task_end', play, task };
    }
    yield { type: 'play_end', play };
  }
  const counts = { ok: PLAYS * TASKS, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };
  yield { type: 'recap', duration_ms: PLAYS * TASKS * TASK_MS, hosts: Object.fromEntries(hosts.map((h) => [h, counts])) };
}

async function measure(createReporter, mode) {
  const out = terminal();
  const err = terminal();
  const reporter = await createReporter({ mode, verbose: 0, diff: false, color: true, out, err });
  const before = process.cpuUsage();
  for await (const event of runEvents()) reporter.handle(event);
  await reporter.finish();
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, bytes: out.bytes };
}

export async function ttyRender(opts) {
  const module = join(benchDir, `.tty-render-${process.pid}.mjs`);
  try {
    await build({
      entryPoints: [join(process.env.SRC ?? join(root, 'src'), 'report/index.ts')],
      outfile: module,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    const { createReporter } = await import(pathToFileURL(module).href);
    await measure(createReporter, 'tty'); // warm-up: loads listr2, compiles the hot paths
    const samples = { plain: [], tty: [] };
    let bytes = 0;
    for (let i = 0; i < opts.runs; i++) {
      for (const mode of i % 2 ? ['tty', 'plain'] : ['plain', 'tty']) {
        const r = await measure(createReporter, mode);
        samples[mode].push(r.cpuMs);
        if (mode === 'tty') bytes = r.bytes;
        process.stderr.write(`  run ${i + 1}/${opts.runs} ${mode}: ${r.cpuMs.toFixed(0)} ms CPU\n`);
      }
    }
    const plain = stats(samples.plain);
    const tty = stats(samples.tty);
    const tasks = PLAYS * TASKS;
    console.log(`\n### The live tree's CPU: ${PLAYS} plays x ${TASKS} tasks x ${HOSTS} hosts, a task every ${TASK_MS} ms, 140x45 terminal\n`);
    console.log('| reporter | CPU ms, median (min-max) | runs |');
    console.log('|---|---|---|');
    console.log(`| plain (piped) | ${plain.median.toFixed(0)} (${plain.min.toFixed(0)}-${plain.max.toFixed(0)}) | ${plain.n} |`);
    console.log(`| tty (live tree) | ${tty.median.toFixed(0)} (${tty.min.toFixed(0)}-${tty.max.toFixed(0)}) | ${tty.n} |`);
    const extra = tty.median - plain.median;
    console.log(`\nthe tree's extra CPU: ${extra.toFixed(0)} ms, ${(extra / tasks).toFixed(2)} ms a task; ${(bytes / 1024).toFixed(0)} KiB written to the terminal`);
  } finally {
    rmSync(module, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await ttyRender(parseArgs());
