// What integration tests need to know about the lab: whether it runs (from the global setup), its
// hosts, key, known_hosts and inventory, and ssh to a guest with the system client for verification
// that does not go through provision's own transport.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, inject } from 'vitest';
import { quote } from '../../../src/core/shell.js';
import { LAB_HOSTS, LAB_KEY_FILE, LAB_KNOWN_HOSTS_FILE, type LabHostName } from '../../../src/lab/paths.js';

export { LAB_HOSTS as labHosts, LAB_KEY_FILE as labKeyFile, LAB_KNOWN_HOSTS_FILE as labKnownHostsFile };
export type { LabHostName };

export const labHostNames = Object.keys(LAB_HOSTS) as LabHostName[];
export const labInventory = fileURLToPath(new URL('../../../inventory/vagrant.yaml', import.meta.url));
export const labScript = fileURLToPath(new URL('../../../vagrant/lab.sh', import.meta.url));

export const labAvailable: boolean = inject('labAvailable');
/** describe when the lab runs, describe.skip when this machine cannot run it (outside CI). */
export const describeLab = labAvailable ? describe : describe.skip;

export interface SshOptions {
  /** Run the command as root through sudo. */
  sudo?: boolean;
  /** Bytes for the command's standard input. */
  input?: string;
  timeoutMs?: number;
}

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

function addressOf(host: string): string {
  return (LAB_HOSTS as Record<string, string>)[host] ?? host;
}

function sshArgs(host: string, command: string, options: SshOptions): string[] {
  const remote = options.sudo ? `sudo bash -c ${quote(command)}` : command;
  return [
    '-i', LAB_KEY_FILE,
    '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${LAB_KNOWN_HOSTS_FILE}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'LogLevel=ERROR',
    `vagrant@${addressOf(host)}`,
    remote,
  ];
}

/** Runs `command` on a lab host (name or address) as vagrant; any exit code is returned. */
export function sshRun(host: LabHostName | string, command: string, options: SshOptions = {}): SshResult {
  const res = spawnSync('ssh', sshArgs(host, command, options), {
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** sshRun without blocking, to run the same check on several hosts at once. */
export function sshRunAsync(host: LabHostName | string, command: string, options: SshOptions = {}): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', sshArgs(host, command, options), { timeout: options.timeoutMs ?? 300_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs `command` on a lab host and returns its stdout, whatever its exit code (so that probes such as
 * `systemctl is-active` can be compared as text). Throws only when ssh itself fails (exit 255).
 */
export function sshExec(host: LabHostName | string, command: string, options: SshOptions = {}): string {
  const res = sshRun(host, command, options);
  if (res.code === 255) throw new Error(`ssh to ${host} failed: ${res.stderr.trim()}`);
  return res.stdout;
}
