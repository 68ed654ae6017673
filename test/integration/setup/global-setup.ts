// vitest globalSetup of the integration project: make sure the lab (vagrant/lab.sh) runs before any
// test file, once per run, and tell the files whether they can use it (inject('labAvailable')).
// Outside CI a machine that cannot run the lab skips the lab tests with a message; under CI=true a lab
// that does not come up fails the run.

import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    labAvailable: boolean;
  }
}

const labScript = fileURLToPath(new URL('../../../vagrant/lab.sh', import.meta.url));
const inCI = process.env.CI === 'true';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function labScriptOk(subcommand: 'status' | 'up'): boolean {
  // status is quiet (it is only a probe); up streams its progress to the terminal.
  const res = spawnSync('bash', [labScript, subcommand], {
    stdio: subcommand === 'up' ? 'inherit' : 'ignore',
    timeout: 20 * 60_000,
  });
  return res.status === 0;
}

/** Why this machine cannot start the lab, or undefined when it can try. */
function cannotRunLab(): string | undefined {
  if (process.env.PROVISION_LAB_PROVIDER) return undefined;
  if (onPath('VBoxManage')) return undefined;
  if (process.platform !== 'linux') return 'no VirtualBox found and the lxc lab needs Linux';
  if (process.getuid?.() !== 0) return 'the lxc lab needs root (run the tests as root, or start VirtualBox VMs with `vagrant/lab.sh up`)';
  if (!onPath('lxc-start') && !onPath('apt-get')) return 'neither lxc nor apt-get (to install it) is available';
  return undefined;
}

export default function setup(project: TestProject): void {
  if (labScriptOk('status')) {
    project.provide('labAvailable', true);
    return;
  }
  const reason = cannotRunLab();
  if (reason !== undefined) {
    if (inCI) throw new Error(`CI=true but the lab cannot run here: ${reason}`);
    console.warn(`\n[lab] integration tests that need the lab are SKIPPED: ${reason}.\n[lab] See docs/LAB.md.\n`);
    project.provide('labAvailable', false);
    return;
  }
  console.log('[lab] the lab is not running: bash vagrant/lab.sh up');
  const started = Date.now();
  if (!labScriptOk('up')) {
    throw new Error('vagrant/lab.sh up failed (see its output above); `bash vagrant/lab.sh down` then `up` starts clean');
  }
  console.log(`[lab] up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('labAvailable', true);
}
