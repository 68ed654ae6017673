// The live tree's cost without the lab: a no-op playbook of many read-only tasks on local hosts
// (ansible_connection=local), run at a 140x45 pseudo-terminal (`script`) and piped, alternated run by
// run, whole processes timed, medians printed with the terminal/piped ratio (issue 11 goal: <= 1.10).
// Every run is checked (exit 0, changed=0 in the recap). Also usable alone:
//   node bench/tty-local.mjs [--runs N] [--quick]
// Everything it writes lives in one temp directory, removed at the end.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, expectRun, parseArgs, root, stats, timed } from './lib.mjs';

const HOSTS = 3;
const PLAYS = 3;
const TASKS_PER_PLAY = 40;

/**
 * Read-only task shapes, cycled: stat, command with creates of an existing file, file state=directory,
 * and a debug every other task (local shell commands are costly here: the debugs keep the run short
 * while the tree still gets a line per task).
 */
function task(dir, play, i) {
  const name = `play ${play} task ${i}`;
  if (i % 2 === 1) return `    - name: ${name} debug\n      debug:\n        msg: "<%= inventory_hostname %> ${i}"\n`;
  switch ((i / 2) % 3) {
    case 0:
      return `    - name: ${name} stat\n      stat:\n        path: ${dir}/present\n`;
    case 1:
      return `    - name: ${name} command\n      command: /bin/false\n      args:\n        creates: ${dir}/present\n`;
    default:
      return `    - name: ${name} directory\n      file:\n        path: ${dir}/tree\n        state: directory\n`;
  }
}

/** A temp dir with an inventory of local hosts, the files the tasks read, and the playbook. */
export function makeTtyCase() {
  const dir = mkdtempSync(join(tmpdir(), 'provision-bench-tty-'));
  writeFileSync(join(dir, 'present'), 'here\n');
  mkdirSync(join(dir, 'tree'));
  const hosts = Array.from({ length: HOSTS }, (_, i) => `    local${i + 1}:\n`).join('');
  writeFileSync(join(dir, 'inventory.yaml'), `all:\n  vars:\n    ansible_connection: local\n  hosts:\n${hosts}`);
  let playbook = '';
  for (let p = 1; p <= PLAYS; p++) {
    playbook += `- name: local play ${p}\n  hosts: all\n  gather_facts: false\n  tasks:\n`;
    for (let i = 0; i < TASKS_PER_PLAY; i++) playbook += task(dir, p, i);
  }
  writeFileSync(join(dir, 'site.yaml'), playbook);
  const args = ['run', join(dir, 'site.yaml'), '-i', join(dir, 'inventory.yaml'), '--no-history', '--no-retry-file'];
  return { dir, args, tasks: PLAYS * TASKS_PER_PLAY, hosts: HOSTS };
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
// eslint-disable-next-line no-control-regex
const stripTerminal = (text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/**
 * Runs under /usr/bin/time: the wall time of the whole process, and the CPU (user+sys) of the whole
 * process tree. The local shells' CPU is the same in both modes, so the difference is what the
 * terminal costs (the tree's rendering, and the pseudo-terminal itself).
 */
function timedWithCpu(dir, command, args, env) {
  const cpuFile = join(dir, 'cpu');
  const res = timed('/usr/bin/time', ['-o', cpuFile, '-f', '%U %S', command, ...args], { env });
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { ...res, cpuMs: (user + sys) * 1000 };
}

/** One run piped, as in CI. */
export function piped(dir, args) {
  return timedWithCpu(dir, process.execPath, [join(root, 'bin/provision.js'), ...args], { ...process.env, NO_COLOR: '1' });
}

/** One run at a 140x45 pseudo-terminal, as a person at a terminal runs it. */
export function atTerminal(dir, args) {
  const cmd = [process.execPath, join(root, 'bin/provision.js'), ...args].map(quote).join(' ');
  const env = { ...process.env, NO_COLOR: '1', TERM: process.env.TERM || 'xterm-256color' };
  delete env.CI;
  const res = timedWithCpu(dir, 'script', ['-qec', `stty cols 140 rows 45; exec ${cmd}`, '/dev/null'], env);
  return { ...res, stdout: stripTerminal(res.stdout) };
}

export function ttyLocal(opts) {
  const c = makeTtyCase();
  const cpu = { piped: [], terminal: [] };
  const measure = (mode, run) => () => {
    const res = run(c.dir, c.args);
    expectRun(`provision ${mode}`, res, { changed: 0 });
    cpu[mode].push(res.cpuMs);
    return res.ms;
  };
  try {
    const s = alternate(opts, { piped: measure('piped', piped), terminal: measure('terminal', atTerminal) });
    const sec = (ms) => (ms / 1000).toFixed(2);
    // The warm-up round's CPU is left out, as its time is.
    const cpuOf = (mode) => stats(cpu[mode].slice(-s[mode].n));
    console.log(`\n### A local no-op run (${c.tasks} tasks x ${c.hosts} local hosts) at a terminal and piped\n`);
    console.log('| output | wall s, median (min-max) | CPU s (user+sys, whole process tree), median (min-max) | runs |');
    console.log('|---|---|---|---|');
    for (const [k, v] of Object.entries(s)) {
      const u = cpuOf(k);
      console.log(`| ${k === 'piped' ? 'piped' : 'pseudo-terminal 140x45 (script)'} | ${sec(v.median)} (${sec(v.min)}-${sec(v.max)}) | ${sec(u.median)} (${sec(u.min)}-${sec(u.max)}) | ${v.n} |`);
    }
    const extraCpu = cpuOf('terminal').median - cpuOf('piped').median;
    console.log(`\nterminal/piped: ${(s.terminal.median / s.piped.median).toFixed(2)} wall (goal: at most 1.10); the terminal's extra CPU: ${sec(extraCpu)} s, ${(extraCpu / c.tasks).toFixed(1)} ms a task`);
  } finally {
    rmSync(c.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ttyLocal(parseArgs());
