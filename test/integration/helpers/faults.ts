// Faults injected into the lab's guests, and what the chaos suite needs to find its way afterwards:
// powering a guest off and on (its LXC container on this machine), the current MariaDB primary, the
// tokens the database holds. Only the project's own lab guests are touched. Whatever runs while load
// is being sent is asynchronous: a blocking call would stop the load generator's clock too.

import { spawn } from 'node:child_process';
import { sshRun, sshRunAsync, type LabHostName } from './lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command on this machine without blocking the event loop; rejects on a non-zero exit. */
export function runLocal(command: string, args: string[], timeoutMs = 900_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} ${args.join(' ')}: exit ${code}: ${stderr.slice(-2000) || stdout.slice(-2000)}`)),
    );
    child.stdin.end();
  });
}

/** Pulls the plug: the container stops at once, nothing shuts down cleanly. */
export async function powerOff(host: LabHostName): Promise<void> {
  await runLocal('lxc-stop', ['-n', host, '-k']);
}

/** Boots the container again and waits until systemd says the guest is running. */
export async function powerOn(host: LabHostName, timeoutMs = 120_000): Promise<void> {
  await runLocal('lxc-start', ['-n', host, '-d']);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await sshRunAsync(host, 'timeout 60 systemctl is-system-running --wait', { timeoutMs: 70_000 });
    const state = res.stdout.trim();
    if (state === 'running') return;
    if (state === 'degraded') throw new Error(`${host} booted degraded: ${(await sshRunAsync(host, 'systemctl --failed --no-legend')).stdout}`);
    await sleep(1000);
  }
  throw new Error(`${host} did not boot within ${timeoutMs / 1000} s`);
}

/** Runs a root command on a guest and fails loudly when it fails. */
export async function onHost(host: LabHostName, command: string): Promise<string> {
  const res = await sshRunAsync(host, command, { sudo: true, timeoutMs: 120_000 });
  if (res.code !== 0) throw new Error(`${host}: ${command}: exit ${res.code}: ${res.stderr || res.stdout}`);
  return res.stdout;
}

/** A local SQL query as root through the unix socket; rows as tab-separated lines. */
export function sql(host: LabHostName, query: string): string {
  const res = sshRun(host, 'sudo mysql --batch --skip-column-names', { input: query, timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`${host}: ${query}: ${res.stderr}`);
  return res.stdout.trim();
}

/** The database servers that accept writes now (read_only OFF). */
export function writableServers(hosts: readonly LabHostName[]): LabHostName[] {
  return hosts.filter((h) => {
    const res = sshRun(h, 'sudo mysql --batch --skip-column-names -e "SELECT @@read_only"', { timeoutMs: 20_000 });
    return res.code === 0 && res.stdout.trim() === '0';
  });
}

/** Which of `tokens` the messages table holds on `host`. */
export function storedTokens(host: LabHostName, prefix: string): Set<string> {
  const out = sql(host, `SELECT text FROM foobar.messages WHERE text LIKE '${prefix.replace(/[^a-z0-9-]/gi, '')}-%';`);
  return new Set(out.split('\n').filter((l) => l.length > 0));
}

/** CHECKSUM TABLE of the app's table on a server. */
export function messagesChecksum(host: LabHostName): string {
  return sql(host, 'CHECKSUM TABLE foobar.messages EXTENDED;').split('\t')[1] ?? '';
}

export async function until(probe: () => boolean, timeoutMs: number, stepMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (probe()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(stepMs);
  }
}

export { sleep };
