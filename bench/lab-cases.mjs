// The lab cases of issue 11: the same work done by provision and by its Ansible twin (bench/ansible),
// alternated run by run, whole processes timed. Every run is checked (no-op runs must report changed=0,
// the template run must change something) and the lab is left as found.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  LOCK_TIMEOUT, alternate, ansibleDir, ansibleMissing, ansiblePlaybook, expectRun, guestLastPids, historyDir,
  labInventory, printTable, processesStarted, provision, provisionConnectionArgs, timed, root,
} from './lib.mjs';

// Functions: the connection arguments depend on the command line (parsed after this file is loaded).
const common = () => ['-i', labInventory, ...LOCK_TIMEOUT, '--history-dir', historyDir, '--no-retry-file', ...provisionConnectionArgs()];
const siteArgs = () => ['run', 'playbooks/site.yaml', ...common()];
const roleArgs = (limit, extra = []) => ['role', 'nginx', '--limit', limit, ...common(), ...extra];

function missingNote(what, playbook, role) {
  const why = ansibleMissing(playbook) ?? (role && !existsSync(join(ansibleDir, 'roles', role)) ? `bench/ansible/roles/${role} is absent` : undefined);
  return why ? { why, note: `No Ansible figure for ${what}: ${why}.` } : {};
}

/** The no-op rerun of the whole site (converged lab): `provision run playbooks/site.yaml`. */
export function noopSite(opts) {
  const { why, note } = missingNote('the site', 'site.yml');
  const s = alternate(opts, {
    provision: () => (expectRun('provision', trackedProvision(siteArgs()), { changed: 0 }), lastRun),
    ansible: why ? null : () => (expectRun('ansible', trackedAnsible(['site.yml']), { changed: 0 }), lastRun),
  });
  printTable('No-op rerun of the whole site (5 hosts)', [{ name: 'site, no-op', ...s }], note ? [note] : []);
}

// expectRun returns the recap; the time (and the guests' CPU) of the run it checked is kept here.
let lastRun = { ms: 0, guestMs: undefined };
const track = (res) => ((lastRun = { ms: res.ms, guestMs: res.guestMs }), res);
const trackedProvision = (args) => track(provision(args));
const trackedAnsible = (args) => track(ansiblePlaybook(args));

export function noopRole(opts) {
  const { why, note } = missingNote('the nginx role', 'role-nginx.yml', 'nginx');
  const s = alternate(opts, {
    provision: () => (expectRun('provision', trackedProvision(roleArgs('web01')), { changed: 0 }), lastRun),
    ansible: why ? null : () => (expectRun('ansible', trackedAnsible(['role-nginx.yml', '--limit', 'web01']), { changed: 0 }), lastRun),
  });
  printTable('No-op rerun of one role on one host (nginx on web01)', [{ name: 'role nginx --limit web01, no-op', ...s }], note ? [note] : []);
}

/**
 * A template change on both web servers, with the reload it notifies: nginx_client_max_body_size goes
 * 17k, 18k, 17k... (every run changes the site file whichever tool ran before), then back to the
 * inventory's value with one last provision run, also when a run fails.
 */
export function templateChange(opts) {
  const { why, note } = missingNote('the nginx role', 'role-nginx.yml', 'nginx');
  let flip = 0;
  const value = () => `nginx_client_max_body_size=${flip++ % 2 ? '18k' : '17k'}`;
  try {
    const s = alternate(opts, {
      provision: () => (expectRun('provision', trackedProvision(roleArgs('web', ['-e', value()])), { changed: 'some' }), lastRun),
      ansible: why ? null : () => (expectRun('ansible', trackedAnsible(['role-nginx.yml', '--limit', 'web', '-e', value()]), { changed: 'some' }), lastRun),
    });
    printTable('One template changed on both web servers, nginx reloaded', [{ name: 'nginx site file, web01+web02', ...s }], note ? [note] : []);
  } finally {
    const back = provision(roleArgs('web'));
    if (back.code !== 0) console.error(`could not put nginx_client_max_body_size back on web01/web02:\n${back.stdout.slice(-2000)}`);
  }
}

/** The inventory's hosts and their addresses (ansible_host), as provision reads the inventory. */
function labAddresses() {
  const res = timed(process.execPath, [join(root, 'bin/provision.js'), 'inventory', '-i', labInventory, '--list']);
  const list = JSON.parse(res.stdout);
  return Object.fromEntries(Object.entries(list._meta.hostvars).map(([h, v]) => [h, v.ansible_host ?? h]));
}

/** provision: the sum of the --json result events' round_trips per host (the recap's totals if it has them). */
export function provisionRoundTrips(stdout) {
  const perHost = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line);
    if (e.type === 'result' && typeof e.round_trips === 'number') perHost[e.host] = (perHost[e.host] ?? 0) + e.round_trips;
    if (e.type === 'recap') {
      for (const [h, r] of Object.entries(e.hosts ?? {})) if (typeof r.round_trips === 'number') perHost[h] = r.round_trips;
    }
  }
  return perHost;
}

/** Ansible: the SSH operations its -vvv log shows per host (`<address> SSH: EXEC` and `<address> PUT`). */
export function ansibleOperations(log, addresses) {
  const byAddress = Object.fromEntries(Object.entries(addresses).map(([h, a]) => [a, h]));
  const perHost = {};
  for (const m of log.matchAll(/^<([^>]+)> (SSH: EXEC|PUT) /gm)) {
    const host = byAddress[m[1]] ?? m[1];
    const row = (perHost[host] ??= { exec: 0, put: 0 });
    if (m[2] === 'PUT') row.put++;
    else row.exec++;
  }
  return perHost;
}

export function roundTrips() {
  const addresses = labAddresses();
  const cases = [
    { name: 'site, no-op', provision: siteArgs(), ansible: ['site.yml'], playbook: 'site.yml' },
    { name: 'nginx on web01, no-op', provision: roleArgs('web01'), ansible: ['role-nginx.yml', '--limit', 'web01'], playbook: 'role-nginx.yml', role: 'nginx' },
  ];
  const guests = Object.keys(addresses);
  for (const c of cases) {
    const p0 = guestLastPids(guests);
    const p = provision([...c.provision, '--json']);
    const pstarted = processesStarted(p0, guestLastPids(guests)) ?? {};
    expectRun('provision', { ...p, stdout: recapText(p.stdout) }, { changed: 0 });
    const prt = provisionRoundTrips(p.stdout);
    const { why } = missingNote(c.name, c.playbook, c.role);
    let aop = {};
    let astarted = {};
    if (!why) {
      const a0 = guestLastPids(guests);
      const a = ansiblePlaybook([...c.ansible, '-vvv']);
      astarted = processesStarted(a0, guestLastPids(guests)) ?? {};
      expectRun('ansible', a, { changed: 0 });
      aop = ansibleOperations(a.stdout, addresses);
    }
    console.log(`\n### Round trips per host: ${c.name}\n`);
    console.log('| host | provision round trips | ansible SSH exec | ansible put | ansible total | processes started on the host, provision / ansible |');
    console.log('|---|---|---|---|---|---|');
    const hosts = [...new Set([...Object.keys(prt), ...Object.keys(aop)])].sort();
    for (const h of hosts) {
      const a = aop[h];
      const started = `${pstarted[h] ?? '-'} / ${astarted[h] ?? '-'}`;
      console.log(`| ${h} | ${prt[h] ?? '-'} | ${a ? a.exec : '-'} | ${a ? a.put : '-'} | ${a ? a.exec + a.put : '-'} | ${started} |`);
    }
    console.log('\nProcesses started: the growth of the last pid in each guest (its own pid namespace) over the run, the guests\' own services included.');
    if (why) console.log(`\nNo Ansible figures: ${why}.`);
  }
}

/** The --json stream's recap as the text recap, for the same checks as a human-readable run. */
function recapText(stdout) {
  const recap = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.type === 'recap');
  if (!recap) return '';
  return Object.entries(recap.hosts)
    .map(([h, r]) => `${h} : ok=${r.ok} changed=${r.changed} unreachable=${r.unreachable} failed=${r.failed}`)
    .join('\n');
}

/**
 * The same no-op site run at a pseudo-terminal (util-linux `script`, a 140x45 window) and piped: where
 * people run it, the live tree must cost nothing (issue 11: within 10% of piped).
 */
export function tty(opts) {
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = [process.execPath, join(root, 'bin/provision.js'), ...siteArgs()].map(quote).join(' ');
  const env = { ...process.env, COLUMNS: '140', LINES: '45', TERM: process.env.TERM || 'xterm-256color' };
  const s = alternate(opts, {
    piped: () => (expectRun('provision piped', trackedProvision(siteArgs()), { changed: 0 }), lastRun),
    terminal: () => {
      const res = track(timed('script', ['-qec', `stty cols 140 rows 45; exec ${cmd}`, '/dev/null'], { env: { ...env, NO_COLOR: '1' } }));
      // eslint-disable-next-line no-control-regex
      expectRun('provision at a terminal', { ...res, stdout: res.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') }, { changed: 0 });
      return lastRun;
    },
  });
  const ratio = s.terminal.median / s.piped.median;
  console.log('\n### The no-op site run at a terminal and piped (provision)\n');
  console.log('| output | s, median (min-max) | runs |');
  console.log('|---|---|---|');
  for (const [k, v] of Object.entries(s)) console.log(`| ${k === 'piped' ? 'piped' : 'pseudo-terminal 140x45 (script)'} | ${(v.median / 1000).toFixed(2)} (${(v.min / 1000).toFixed(2)}-${(v.max / 1000).toFixed(2)}) | ${v.n} |`);
  console.log(`\nterminal/piped: ${ratio.toFixed(2)} (goal: at most 1.10)`);
}
