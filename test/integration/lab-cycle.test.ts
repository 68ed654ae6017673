// `lab down && lab up`, three times, and `up` converging from what a finished session leaves behind
// (stopped guests, a dead dnsmasq, guests unknown to Vagrant's state). Slow (a minute or two), so only
// with LAB_CYCLE_TEST=1 or CI=true. The lab is up again at the end whatever happens.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { labAvailable, labHostNames, labScript, sshRun } from './helpers/lab.js';

const enabled = labAvailable && (process.env.LAB_CYCLE_TEST === '1' || process.env.CI === 'true');
const provisionBin = fileURLToPath(new URL('../../bin/provision.js', import.meta.url));
const builtCli = existsSync(fileURLToPath(new URL('../../dist/provision.js', import.meta.url)));
const stateDir = '/var/lib/provision/lab';
const isLxc = () => existsSync(`${stateDir}/provider`) && readFileSync(`${stateDir}/provider`, 'utf8').trim() === 'lxc';

/** `provision lab SUB` through the built CLI when there is one (what users run), else the script. */
function lab(sub: 'up' | 'down' | 'status'): { code: number; output: string; seconds: number } {
  const started = Date.now();
  const [cmd, args] = builtCli ? [process.execPath, [provisionBin, 'lab', sub]] : ['bash', [labScript, sub]];
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: res.status ?? -1, output: `${res.stdout}${res.stderr}`, seconds: (Date.now() - started) / 1000 };
}

function expectAllRunning(): void {
  const states = Object.fromEntries(labHostNames.map((h) => [h, sshRun(h, 'systemctl is-system-running').stdout.trim()]));
  expect(states).toEqual(Object.fromEntries(labHostNames.map((h) => [h, 'running'])));
}

function upOrFail(label: string): number {
  const up = lab('up');
  expect(up.code, `${label}: lab up failed:\n${up.output}`).toBe(0);
  expectAllRunning();
  return up.seconds;
}

(enabled ? describe : describe.skip)('lab down && lab up', () => {
  afterAll(() => {
    if (lab('status').code !== 0) upOrFail('restoring the lab');
  });

  it('works three times in a row, and up is quick when the lab runs', () => {
    const timings: string[] = [];
    for (let cycle = 1; cycle <= 3; cycle++) {
      const down = lab('down');
      expect(down.code, `cycle ${cycle}: lab down failed:\n${down.output}`).toBe(0);
      // Down leaves nothing answering, and status says so.
      expect(lab('status').code).not.toBe(0);
      const up = upOrFail(`cycle ${cycle}`);
      timings.push(`cycle ${cycle}: down ${down.seconds.toFixed(1)} s, up ${up.toFixed(1)} s`);
    }
    const again = upOrFail('up when running');
    timings.push(`up when already running: ${again.toFixed(1)} s`);
    console.log(`[lab] ${timings.join('; ')}`);
    expect(again).toBeLessThan(30);
  });

  it.runIf(isLxc())('converges from what a finished session leaves: stopped guests and a dead dnsmasq', () => {
    // Sessions end by killing their processes: the containers' and lxc-net's dnsmasq among them.
    for (const host of labHostNames) spawnSync('lxc-stop', ['-n', host, '-k']);
    const pid = readFileSync('/run/lxc/dnsmasq.pid', 'utf8').trim();
    spawnSync('kill', ['-9', pid]);
    const seconds = upOrFail('after stopped guests');
    console.log(`[lab] up from stopped guests and a dead dnsmasq: ${seconds.toFixed(1)} s`);
    // Package downloads go through the restarted NAT bridge.
    const update = sshRun('web01', 'apt-get -q update', { sudo: true });
    expect(update.code, update.stderr).toBe(0);
  });

  it.runIf(isLxc())('replaces guests that Vagrant state in another folder made (a fresh CI clone)', () => {
    // The containers stay, but the Vagrant state that knows them is gone, as for another clone's .vagrant/.
    const machines = `${stateDir}/vagrant/machines`;
    rmSync(`${machines}.elsewhere`, { recursive: true, force: true });
    renameSync(machines, `${machines}.elsewhere`);
    try {
      const seconds = upOrFail('after orphaned guests');
      console.log(`[lab] up with orphaned guests: ${seconds.toFixed(1)} s`);
    } finally {
      rmSync(`${machines}.elsewhere`, { recursive: true, force: true });
    }
  });
});
