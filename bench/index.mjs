#!/usr/bin/env node
// `npm run bench [-- PART... ] [--runs N] [--quick]`: provision against ansible-playbook on the lab
// (docs/BENCHMARKS.md). Each part prints a markdown table; the parts are independent, so one can be
// re-measured alone. Prints figures, asserts only that every measured run did what it should.

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { noopRole, noopSite, roundTrips, templateChange, tty } from './lab-cases.mjs';
import { benchDir, connection, historyDir, parseArgs } from './lib.mjs';
import { scale } from './scale.mjs';
import { slowNetwork } from './slow-network.mjs';
import { ttyLocal } from './tty-local.mjs';
import { ttyRender } from './tty-render.mjs';

/** The older scripts run as they are, in their own process. */
const script = (file) => () => {
  const res = spawnSync(process.execPath, [join(benchDir, file)], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`bench/${file} exited ${res.status}`);
};

const parts = {
  'noop-site': { what: 'no-op rerun of the whole site, provision vs ansible-playbook', run: noopSite },
  'noop-role': { what: 'no-op rerun of the nginx role on web01', run: noopRole },
  template: { what: 'one template changed on web01+web02, nginx reloaded', run: templateChange },
  'round-trips': { what: 'SSH round trips per host (provision) and exec/put operations (ansible -vvv)', run: roundTrips },
  tty: { what: 'the no-op site run at a pseudo-terminal vs piped (provision)', run: tty },
  'tty-local': { what: 'a no-op run of 120 tasks on 3 local hosts at a pseudo-terminal vs piped (no lab)', run: ttyLocal },
  'tty-render': { what: "the live tree's CPU per task, from a synthetic event stream (no hosts)", run: ttyRender },
  slow: { what: 'the no-op site run with 50 ms added to every round trip (delaying TCP proxy)', run: slowNetwork },
  scale: { what: 'no-op common+ufw+node_exporter on 3, 10, 30 extra LXC hosts (--hosts 3,10,30)', run: scale },
  transport: { what: 'the SSH transport alone (loopback sshd): round-trip costs', run: script('transport.mjs'), slow: true },
  modules: { what: 'round trips and time per module (modules fixture on web02)', run: script('modules.mjs'), slow: true },
  history: { what: 'what the run history costs a run (local)', run: script('history.mjs'), slow: true },
  engine: { what: 'start-up (--version, --help) and a run at a pty vs piped, recap to exit (local)', run: script('engine.mjs'), slow: true },
};

const usage = () =>
  [
    'usage: npm run bench [-- PART...] [--runs N] [--quick] [--hosts 3,10,30] [--fresh-connections]',
    '  --runs N   timed runs per tool and figure (default 5; the median, min and max are printed)',
    '  --quick    no warm-up runs, scale at 3 hosts only, and none of transport/modules/history',
    "  --fresh-connections  provision opens a new SSH connection per run (its default) instead of",
    "             keeping one 60 s (provision_control_persist=60), as Ansible's ControlPersist=60s does",
    'parts (default: all):',
    ...Object.entries(parts).map(([k, v]) => `  ${k.padEnd(12)} ${v.what}`),
  ].join('\n');

let failed = 0;
try {
  const opts = parseArgs();
  if (opts.parts.includes('help') || opts.parts.includes('--help')) {
    console.log(usage());
    process.exit(0);
  }
  const unknown = opts.parts.filter((p) => !parts[p]);
  if (unknown.length) {
    console.error(`unknown part ${unknown.join(', ')}\n${usage()}`);
    process.exit(2);
  }
  const chosen = opts.parts.length ? opts.parts : Object.keys(parts).filter((k) => !(opts.quick && parts[k].slow));
  console.log(`# provision bench, ${new Date().toISOString()}, --runs ${opts.runs}${opts.quick ? ' --quick' : ''}`);
  console.log(connection.fresh ? '# provision: a new SSH connection per run' : '# provision: provision_control_persist=60 (OpenSSH master kept 60 s), ansible-playbook: ControlPersist=60s');
  for (const name of chosen) {
    console.error(`\n== ${name}: ${parts[name].what}`);
    try {
      await parts[name].run(opts);
    } catch (err) {
      failed++;
      console.log(`\n### ${name}: FAILED\n\n${err instanceof Error ? err.message : String(err)}`);
    }
  }
} finally {
  rmSync(historyDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
