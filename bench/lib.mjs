// What every part of the bench shares: running a tool and timing the whole process, medians, the
// two tools alternated run by run, recap parsing and the printed tables. Plain Node, no dependencies,
// so that `npm run bench` measures the built CLI (bin/provision.js) exactly as a user runs it.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const benchDir = join(root, 'bench');
export const ansibleDir = join(benchDir, 'ansible');
export const labInventory = join(root, 'inventory/vagrant.yaml');
export const labStateDir = '/var/lib/provision/lab';
/** Other helpers and engineers may hold the per-host run lock: wait for it rather than fail. */
export const LOCK_TIMEOUT = ['--lock-timeout', '300'];
/** Each part's provision runs record their history here, so that the cost is paid but nothing is left. */
export const historyDir = join(tmpdir(), `provision-bench-history-${process.pid}`);

/**
 * How provision connects: like Ansible's ControlPersist=60s in bench/ansible/ansible.cfg, a run uses the
 * SSH connection the previous one left (`provision_control_persist`, OpenSSH's master), unless
 * `--fresh-connections` asks for provision's default, a new connection per run.
 */
export const connection = { fresh: false };
export const provisionConnectionArgs = () => (connection.fresh ? [] : ['-e', 'provision_control_persist=60']);

/** `--runs N` (default 5, at least 5 for a figure), `--quick` (fewer, smaller cases), other words: parts. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = { runs: 5, quick: false, parts: [], hosts: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') out.runs = Number(argv[++i]);
    else if (a.startsWith('--runs=')) out.runs = Number(a.slice(7));
    else if (a === '--quick') out.quick = true;
    else if (a === '--fresh-connections') connection.fresh = true;
    else if (a === '--hosts') out.hosts = argv[++i];
    else if (a.startsWith('--hosts=')) out.hosts = a.slice(8);
    else out.parts.push(a);
  }
  if (!Number.isInteger(out.runs) || out.runs < 1) throw new Error(`--runs must be a whole number >= 1, got ${out.runs}`);
  return out;
}

/**
 * CPU milliseconds the running LXC guests (the lab's and the scale part's) have used so far, from the
 * cgroup LXC gives each container (cgroup v1 cpuacct or v2 cpu.stat); undefined where not readable.
 * The hosts' work is most of a no-op run here: every process a probe starts costs CPU on the guests.
 */
export function guestCpuMs() {
  const v1 = '/sys/fs/cgroup/cpuacct';
  const v2 = '/sys/fs/cgroup';
  try {
    const base = existsSync(v1) ? v1 : v2;
    let total = 0;
    for (const dir of readdirSync(base).filter((d) => d.startsWith('lxc.payload.'))) {
      const at = join(base, dir);
      if (readFileSync(join(at, 'cgroup.procs'), 'utf8').trim() === '') continue;
      if (base === v1) total += Number(readFileSync(join(at, 'cpuacct.usage'), 'utf8')) / 1e6;
      else total += Number(/usage_usec (\d+)/.exec(readFileSync(join(at, 'cpu.stat'), 'utf8'))?.[1] ?? 0) / 1e3;
    }
    return total;
  } catch {
    return undefined;
  }
}

/**
 * The last process id each running LXC guest handed out (/proc/loadavg's last field, in the guest's own
 * pid namespace): the difference over a run is the number of processes started on each host, a figure
 * that the machine's load does not change. Undefined when the guests cannot be entered (not root, no LXC).
 */
export function guestLastPids(names) {
  const out = {};
  for (const name of names) {
    const res = spawnSync('lxc-attach', ['-n', name, '--', 'cat', '/proc/loadavg'], { encoding: 'utf8' });
    const pid = Number(res.stdout?.trim().split(/\s+/)[4]);
    if (res.status !== 0 || !Number.isInteger(pid)) return undefined;
    out[name] = pid;
  }
  return out;
}

/** Processes started on each guest between two guestLastPids (less the one `lxc-attach` the reading costs). */
export function processesStarted(before, after) {
  if (!before || !after) return undefined;
  return Object.fromEntries(Object.keys(before).map((h) => [h, after[h] - before[h] - 1]));
}

/** Runs one command to completion and times the whole process (start-up and shut-down included). */
export function timed(command, args, { cwd = root, env = process.env, input } = {}) {
  const cpu0 = guestCpuMs();
  const started = process.hrtime.bigint();
  const res = spawnSync(command, args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu1 = guestCpuMs();
  if (res.error) throw res.error;
  const guestMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
  return { ms, guestMs, code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

/** The guests' own CPU use per second when nothing runs on them (their services: monitoring, HAProxy...). */
export function idleGuestCpuPerSecond(seconds = 3) {
  const a = guestCpuMs();
  spawnSync('sleep', [String(seconds)]);
  const b = guestCpuMs();
  return a === undefined || b === undefined ? undefined : (b - a) / seconds / 1000;
}

export function provision(args, opts = {}) {
  return timed(process.execPath, [join(root, 'bin/provision.js'), ...args], {
    ...opts,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
}

/** Ansible at its best settings comes from bench/ansible/ansible.cfg (pipelining, ControlPersist). */
export function ansiblePlaybook(args, opts = {}) {
  return timed('ansible-playbook', args, {
    cwd: ansibleDir,
    ...opts,
    env: { ...process.env, ANSIBLE_CONFIG: join(ansibleDir, 'ansible.cfg'), ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0', ...opts.env },
  });
}

/** Why the Ansible column is empty, or undefined when ansible-playbook and the twin are there. */
export function ansibleMissing(playbook = 'site.yml') {
  if (timed('sh', ['-c', 'command -v ansible-playbook']).code !== 0) return 'ansible-playbook is not installed';
  if (!existsSync(join(ansibleDir, playbook))) return `bench/ansible/${playbook} (the Ansible twin) is absent`;
  return undefined;
}

/** PLAY RECAP lines (the same format for both tools): host -> {ok, changed, unreachable, failed}. */
export function parseRecap(text) {
  const hosts = {};
  for (const m of text.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    hosts[m[1]] = { ok: +m[2], changed: +m[3], unreachable: +m[4], failed: +m[5] };
  }
  return hosts;
}

/** Fails the bench loudly when a run went wrong: a figure of a failed run is no figure. */
export function expectRun(tool, res, { changed } = {}) {
  const recap = parseRecap(res.stdout);
  const hosts = Object.keys(recap);
  const problems = [];
  if (res.code !== 0) problems.push(`exit ${res.code}`);
  if (hosts.length === 0) problems.push('no PLAY RECAP');
  for (const h of hosts) {
    const r = recap[h];
    if (r.failed || r.unreachable) problems.push(`${h}: failed=${r.failed} unreachable=${r.unreachable}`);
    if (changed === 0 && r.changed !== 0) problems.push(`${h}: changed=${r.changed} on a no-op run`);
  }
  if (changed === 'some' && !hosts.some((h) => recap[h].changed > 0)) problems.push('nothing changed');
  if (problems.length > 0) {
    const tail = (res.stdout + res.stderr).split('\n').slice(-25).join('\n');
    throw new Error(`${tool}: ${problems.join('; ')}\n${tail}`);
  }
  return recap;
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, median, min: s[0], max: s[s.length - 1] };
}

/**
 * Runs `runs` rounds; in each round every tool runs once, the order swapped every round, so that the
 * machine's drifting load falls on both alike. One untimed round first unless quick (caches, ControlPersist).
 */
export function alternate({ runs, quick = false }, tools) {
  const warmup = quick ? 0 : 1;
  const names = Object.keys(tools).filter((k) => tools[k]);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  const cpu = Object.fromEntries(names.map((k) => [k, []]));
  for (let round = -warmup; round < runs; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      // A tool gives the run's milliseconds, or {ms, guestMs} with the guests' CPU during the run.
      const got = tools[name](round);
      const { ms, guestMs } = typeof got === 'number' ? { ms: got, guestMs: undefined } : got;
      if (round >= 0) samples[name].push(ms);
      if (round >= 0 && guestMs !== undefined) cpu[name].push(guestMs);
      const guests = guestMs === undefined ? '' : `, guests' CPU ${(guestMs / 1000).toFixed(2)} s`;
      process.stderr.write(`  ${round < 0 ? 'warm-up' : `run ${round + 1}/${runs}`} ${name}: ${(ms / 1000).toFixed(2)} s${guests}\n`);
    }
  }
  return Object.fromEntries(
    names.map((k) => [k, { ...stats(samples[k]), ...(cpu[k].length ? { guestCpu: stats(cpu[k]) } : {}) }]),
  );
}

const sec = (ms) => (ms / 1000).toFixed(2);
const fig = (s) => (s ? `${sec(s.median)} (${sec(s.min)}-${sec(s.max)})` : '-');

/** One table for the part: seconds, median (min-max) of n runs, and ansible/provision of the medians. */
export function printTable(title, rows, notes = []) {
  console.log(`\n### ${title}\n`);
  console.log(
    "| case | provision s, median (min-max) | ansible-playbook s, median (min-max) | ansible/provision | guests' CPU s, provision / ansible | runs |",
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const ratio = r.provision && r.ansible ? `${(r.ansible.median / r.provision.median).toFixed(1)}x` : '-';
    const cpu = (s) => (s?.guestCpu ? sec(s.guestCpu.median) : '-');
    console.log(`| ${r.name} | ${fig(r.provision)} | ${fig(r.ansible)} | ${ratio} | ${cpu(r.provision)} / ${cpu(r.ansible)} | ${(r.provision ?? r.ansible)?.n ?? 0} |`);
  }
  const idle = idleGuestCpuPerSecond();
  if (idle !== undefined) console.log(`\nThe guests' CPU includes their own services: ${idle.toFixed(2)} CPU-s per second of wall time when idle.`);
  for (const n of notes) console.log(`\n${n}`);
}
