#!/usr/bin/env node
// Control-side figures of the CLI (prints, asserts nothing; needs a build):
//  1. start-up: `--version` and `--help` against a bare `node -e 0`;
//  2. a run at a terminal (under `script`, a 140x45 pseudo-terminal, so the live tree draws) against
//     the same run piped, with the time from the recap line to the process's exit.
// Usage: node bench/engine.mjs [RUNS] [-- run PLAYBOOK -i INVENTORY ...]; BEFORE=path/to/provision.js
// adds an A/B column for an older bundle (keep it inside the repository so its imports resolve).
// Runs are interleaved and each figure is the median. Run only no-op playbooks against the lab.

import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sep = process.argv.indexOf('--');
const runs = Number(process.argv[2] && process.argv[2] !== '--' ? process.argv[2] : 5);
const runArgs = sep > 0 ? process.argv.slice(sep + 1) : [];
const bundles = { after: 'dist/provision.js', ...(process.env.BEFORE ? { before: process.env.BEFORE } : {}) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

function timed(argv) {
  const res = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...argv], { cwd: root, encoding: 'utf8' });
  const [wall, user, sys] = res.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall: wall * 1000, cpu: (user + sys) * 1000 };
}

const startup = { 'node -e 0': ['node', '-e', '0'] };
for (const [k, b] of Object.entries(bundles)) {
  startup[`${k} --version`] = ['node', b, '--version'];
  startup[`${k} --help`] = ['node', b, '--help'];
}
const s = Object.fromEntries(Object.keys(startup).map((k) => [k, []]));
for (let i = 0; i < runs; i++) for (const [k, argv] of Object.entries(startup)) s[k].push(timed(argv));
console.log(`start-up (median of ${runs})`);
for (const [k, v] of Object.entries(s)) console.log(`  ${k.padEnd(20)} wall ${median(v.map((r) => r.wall)).toFixed(0).padStart(6)} ms  cpu ${median(v.map((r) => r.cpu)).toFixed(0).padStart(5)} ms`);

function run(bundle, mode) {
  return new Promise((done) => {
    const argv = ['node', bundle, ...runArgs];
    const started = performance.now();
    const child =
      mode === 'pty'
        ? spawn('script', ['-qec', `stty cols 140 rows 45; ${argv.map(quote).join(' ')}`, '/dev/null'], { cwd: root })
        : spawn(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    let recapAt;
    child.stdout.on('data', (d) => {
      text += d;
      if (recapAt === undefined && text.includes('Duration: ')) recapAt = performance.now();
    });
    child.on('close', (code) => {
      const end = performance.now();
      done({ code, total: end - started, tail: recapAt === undefined ? NaN : end - recapAt });
    });
  });
}

if (runArgs.length > 0) {
  const r = {};
  for (let i = 0; i < runs; i++) {
    for (const [k, b] of Object.entries(bundles)) {
      for (const mode of i % 2 ? ['pty', 'pipe'] : ['pipe', 'pty']) (r[`${k} ${mode}`] ??= []).push(await run(b, mode));
    }
  }
  console.log(`\nprovision ${runArgs.join(' ')} (median of ${runs})`);
  for (const [k, v] of Object.entries(r)) {
    const codes = [...new Set(v.map((x) => x.code))].join(',');
    console.log(`  ${k.padEnd(12)} whole process ${median(v.map((x) => x.total)).toFixed(0).padStart(6)} ms  recap->exit ${median(v.map((x) => x.tail)).toFixed(0).padStart(5)} ms  exit ${codes}`);
  }
}
