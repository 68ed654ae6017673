// Molecule's steps as helpers for role tests: run a role, expect no change, retry a probe.

import { expect, it } from 'vitest';
import { provision, recap, type CliRun } from './cli.js';
import { labInventory } from './lab.js';

/** `provision role NAME -i <lab> --json ARGS...` */
export function runRole(name: string, ...args: string[]): CliRun {
  return provision(['role', name, '-i', labInventory, '--json', ...args]);
}

export function expectNoChange(run: CliRun, hosts: readonly string[]): void {
  expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  for (const host of hosts) expect(recap(run)[host]?.changed, host).toBe(0);
}

/** Idempotence: a second run, then a --check --diff run, both report changed=0 on every host. */
export function expectIdempotent(rerun: (...extra: string[]) => CliRun, hosts: readonly string[]): void {
  expectNoChange(rerun(), hosts);
  expectNoChange(rerun('--check', '--diff'), hosts);
}

/** Retries `probe` until it returns true (replication, worker swaps and reloads take a moment). */
export async function eventually(probe: () => boolean, tries = 20, delayMs = 500): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (probe()) return true;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  return false;
}

/**
 * Molecule's first steps as `it` blocks, for a role run by `role(...extra)` on `hosts`: check mode does
 * not fail (on fresh or converged hosts), converge, then idempotence.
 */
export function itConverges(role: (...extra: string[]) => CliRun, hosts: readonly string[]): void {
  it('check mode does not fail (on fresh or converged hosts)', () => {
    const run = role('--check');
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
  });

  it(`converges on ${hosts.join(' and ')}`, () => {
    const run = role();
    expect(run.code, run.stderr + run.stdout.slice(-2000)).toBe(0);
    for (const host of hosts) expect(recap(run)[host]?.failed, host).toBe(0);
  });

  it('a second run changes nothing, and neither does check mode', () => {
    expectIdempotent(role, hosts);
  });
}
