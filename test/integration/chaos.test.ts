// The site survives the loss of any one part (docs/RESILIENCE.md), proven the only way that counts:
// steady load through the virtual address (reads, and writes each with a unique token whose
// acknowledgement is recorded), one fault injected at a time on the lab, then counted: requests sent,
// failed, the longest outage, acknowledged writes missing from the database. Every fault is undone and
// the site converges back with changed=0 before the next one.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { provision, provisionAsync, recap, repoRoot, type CliRun } from './helpers/cli.js';
import { messagesChecksum, onHost, powerOff, powerOn, sleep, storedTokens, until, writableServers } from './helpers/faults.js';
import { describeLab, labHostNames, labInventory, type LabHostName } from './helpers/lab.js';
import { SiteLoad } from './helpers/load.js';
import { between, lostWrites, successRate, summarise, type LoadSummary, type RequestRecord } from './helpers/load-stats.js';

const DB: LabHostName[] = ['web01', 'web02'];
const RATE = 20; // requests a second, one in four a write
const SETTLE_MS = 5_000; // the health checks' time to notice (the goal's "at most 5 s")
const site = ['run', 'playbooks/site.yaml', '-i', labInventory, '--json', '--no-retry-file'];
const playbook = (name: string, ...extra: string[]) => ['run', `playbooks/${name}`, '-i', labInventory, '--json', '--no-retry-file', ...extra];

interface Row extends LoadSummary {
  fault: string;
  lost: number;
}
const rows: Row[] = [];

function expectOk(run: CliRun, what: string): void {
  expect(run.code, `${what}: ${run.stderr}${run.stdout.slice(-3000)}`).toBe(0);
}

function expectConverged(): void {
  const run = provision(site);
  expectOk(run, 'site.yaml after the fault');
  for (const host of labHostNames) expect(recap(run)[host]?.changed, `${host} changed after the fault was undone`).toBe(0);
}

function primary(): LabHostName {
  const writable = writableServers(DB);
  expect(writable, 'exactly one writable database server').toHaveLength(1);
  return writable[0] as LabHostName;
}

interface Outcome {
  records: RequestRecord[];
  /** ms since the load started */
  injected: number;
  restored: number;
  summary: LoadSummary;
  lost: string[];
}

let ca = '';
let runs = 0;

/** Load, a baseline, the fault for `holdMs`, the fault undone, the load stopped; then the count. */
async function underLoad(fault: string, inject: () => Promise<unknown>, restore: () => Promise<unknown>, holdMs: number): Promise<Outcome> {
  const prefix = `chaos-${Date.now().toString(36)}-${++runs}`;
  const load = new SiteLoad({ rate: RATE, writeEvery: 4, ca, tokenPrefix: prefix, timeoutMs: 10_000, maxDurationMs: 15 * 60_000 });
  load.start();
  let injected = 0;
  let restored = 0;
  try {
    await sleep(3_000);
    injected = load.now();
    await inject();
    await sleep(holdMs);
  } finally {
    restored = load.now();
    await restore();
  }
  await sleep(3_000);
  const records = await load.stop();
  const summary = summarise(records);
  const lost = lostWrites(summary.acknowledged, storedTokens(primary(), prefix));
  rows.push({ fault, ...summary, lost: lost.length });
  console.log(`[chaos] ${fault}: ${JSON.stringify({ sent: summary.sent, failed: summary.failed, outage_s: summary.longestOutage, write_outage_s: summary.longestWriteOutage, acked: summary.acknowledged.length, lost: lost.length })}`);
  return { records, injected, restored, summary, lost };
}

/** The goal for one part down: reads all succeed once the checks noticed, 99% over the whole fault. */
function expectReadsServed(o: Outcome): void {
  const reads = o.records.filter((r) => r.kind === 'read');
  const during = between(reads, o.injected, o.restored);
  const noticed = between(reads, o.injected + SETTLE_MS, o.restored);
  const failures = noticed.filter((r) => !r.ok).map((r) => `${(r.start / 1000).toFixed(1)}s ${r.status} ${r.error ?? ''}`);
  expect(failures, 'reads failed after the health checks noticed').toEqual([]);
  expect(successRate(during), 'reads over the whole fault').toBeGreaterThanOrEqual(0.99);
  expect(o.lost, 'acknowledged writes lost').toEqual([]);
}

describeLab('the site under faults (chaos)', () => {
  beforeAll(() => {
    expectOk(provision(site), 'site.yaml');
    const root = spawnSync('curl', ['-sSk', '--max-time', '10', 'https://127.0.0.1:15000/roots/0'], { encoding: 'utf8' });
    expect(root.status, root.stderr).toBe(0);
    ca = root.stdout;
  });

  afterAll(() => {
    const header = ['fault', 'sent', 'failed', 'reads failed', 'writes failed', 'longest outage s', 'write outage s', 'acked writes', 'lost'];
    const lines = rows.map((r) =>
      [r.fault, r.sent, r.failed, r.readsFailed, r.writesFailed, r.longestOutage.toFixed(1), r.longestWriteOutage.toFixed(1), r.acknowledged.length, r.lost].join(' | '),
    );
    console.log(['', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l} |`), ''].join('\n'));
  });

  it('nginx stopped on web01', async () => {
    const o = await underLoad('nginx stopped on web01', () => onHost('web01', 'systemctl stop nginx'), () => onHost('web01', 'systemctl start nginx'), 20_000);
    expectReadsServed(o);
    expectConverged();
  });

  it('the app stopped on web02', async () => {
    const o = await underLoad('app stopped on web02', () => onHost('web02', 'systemctl stop foobar'), () => onHost('web02', 'systemctl start foobar'), 20_000);
    expectReadsServed(o);
    expectConverged();
  });

  it("the replica's MariaDB stopped", async () => {
    const replica = DB.find((h) => h !== primary()) as LabHostName;
    const o = await underLoad(`replica's MariaDB stopped (${replica})`, () => onHost(replica, 'systemctl stop mariadb'), () => onHost(replica, 'systemctl start mariadb'), 20_000);
    expectReadsServed(o);
    expectConverged();
  });

  it('HAProxy stopped on the load balancer holding the virtual address', async () => {
    const holder = await vipHolder();
    const o = await underLoad(`HAProxy stopped on ${holder}`, () => onHost(holder, 'systemctl stop haproxy'), () => onHost(holder, 'systemctl start haproxy'), 20_000);
    expectReadsServed(o);
    expect(o.summary.longestOutage, 'the virtual address answers from the other load balancer within 3 s').toBeLessThanOrEqual(3);
    expectConverged();
  });

  it('the load balancer holding the virtual address powered off', async () => {
    const holder = await vipHolder();
    const o = await underLoad(`${holder} powered off`, () => powerOff(holder), () => powerOn(holder), 20_000);
    expectReadsServed(o);
    expect(o.summary.longestOutage, 'the virtual address answers from the other load balancer within 3 s').toBeLessThanOrEqual(3);
    expectConverged();
  });

  it('a whole web server powered off (web02: nginx, the app and the replica)', async () => {
    const o = await underLoad('web02 powered off', () => powerOff('web02'), () => powerOn('web02'), 20_000);
    expectReadsServed(o);
    // The replica catches up by itself once it is back.
    expect(await until(() => messagesChecksum('web01') === messagesChecksum('web02'), 60_000, 1000), 'web02 caught up').toBe(true);
    expectConverged();
  });

  it("the primary's MariaDB killed: the witness fails over, no acknowledged write is lost, rejoin makes both equal", async () => {
    const old = primary();
    const other = DB.find((h) => h !== old) as LabHostName;
    // kill -9 with systemd's restart switched off for the test: the primary is gone, not restarting.
    const dropIn = '/run/systemd/system/mariadb.service.d/chaos-no-restart.conf';
    const o = await underLoad(
      `primary's MariaDB killed (${old}), automatic failover`,
      async () => {
        await onHost(old, `mkdir -p ${dropIn.replace(/\/[^/]+$/, '')} && printf '[Service]\\nRestart=no\\n' > ${dropIn} && systemctl daemon-reload && systemctl kill --signal=SIGKILL mariadb`);
      },
      async () => {
        // Wait for the witness's decision before the old primary comes back (read-only: fenced).
        await until(() => writableServers([other]).length === 1, 30_000, 500);
        await onHost(old, `rm -f ${dropIn} && systemctl daemon-reload && systemctl start mariadb`);
      },
      25_000,
    );
    expect(writableServers(DB), 'the replica was promoted; the returning old primary stays read-only').toEqual([other]);
    expect(o.summary.longestWriteOutage, 'writes succeed again within 30 s').toBeLessThanOrEqual(30);
    expect(o.lost, 'acknowledged writes lost').toEqual([]);
    expect(successRate(o.records.filter((r) => r.kind === 'read')), 'reads over the whole fault').toBeGreaterThanOrEqual(0.99);

    // The old primary becomes a replica of the new one; both then hold the same data.
    expectOk(provision(playbook('rejoin.yaml')), 'rejoin.yaml');
    expect(await until(() => messagesChecksum(old) === messagesChecksum(other), 60_000, 1000), 'checksums equal after rejoin').toBe(true);
    expectConverged();
    // Back to the layout the site was built with (web01 primary), by the same two playbooks.
    expectOk(provision(playbook('failover.yaml')), 'failover.yaml back');
    expectOk(provision(playbook('rejoin.yaml')), 'rejoin.yaml back');
    expect(writableServers(DB)).toEqual([old]);
    expect(await until(() => messagesChecksum(old) === messagesChecksum(other), 60_000, 1000), 'checksums equal after failing back').toBe(true);
    expectConverged();
  });

  it('a rolling deploy under load fails no request, and so does the rollback', async () => {
    let deploy: CliRun | undefined;
    const o = await underLoad(
      'rolling deploy (app_version=chaos-2)',
      async () => {
        deploy = await provisionAsync(playbook('deploy.yaml', '-e', 'app_version=chaos-2'));
      },
      async () => undefined,
      0,
    );
    expectOk(deploy as CliRun, 'deploy.yaml');
    expect(o.summary.failed, 'failed requests during the deploy').toBe(0);
    for (const h of DB) expect(JSON.parse(await onHost(h, 'curl -s --max-time 5 http://127.0.0.1:8000/health')).version, h).toBe('chaos-2');

    let rollback: CliRun | undefined;
    const back = await underLoad(
      'rollback deploy (app_version=1.0.0)',
      async () => {
        rollback = await provisionAsync(playbook('deploy.yaml', '-e', 'app_version=1.0.0'));
      },
      async () => undefined,
      0,
    );
    expectOk(rollback as CliRun, 'deploy.yaml rollback');
    expect(back.summary.failed, 'failed requests during the rollback').toBe(0);
    expectConverged();
  });

  it('a release that fails its health check stops the rollout; the other server goes on serving', async () => {
    const source = mkdtempSync(join(tmpdir(), 'provision-broken-release-'));
    try {
      const assets = `${repoRoot}roles/app/files/app`;
      mkdirSync(join(source, 'templates'));
      mkdirSync(join(source, 'static'));
      copyFileSync(`${assets}/templates/index.html`, join(source, 'templates/index.html'));
      copyFileSync(`${assets}/static/style.css`, join(source, 'static/style.css'));
      // Valid Python (the copy's validate passes), but the app cannot start.
      writeFileSync(join(source, 'foobar.py'), 'raise RuntimeError("this release is broken")\n');
      let deploy: CliRun | undefined;
      const o = await underLoad(
        'rolling deploy of a broken release',
        async () => {
          deploy = await provisionAsync(playbook('deploy.yaml', '-e', 'app_version=broken', '-e', `app_source_dir=${source}`, '-e', 'app_health_timeout=10'));
        },
        async () => undefined,
        0,
      );
      expect(deploy?.code, 'deploy.yaml fails').toBe(2);
      expect(deploy?.stdout).toMatch(/every host of batch 1\/2 failed; not run: web02/);
      expect(o.summary.failed, 'failed requests while web01 got the broken release').toBe(0);
      expect(JSON.parse(await onHost('web02', 'curl -s --max-time 5 http://127.0.0.1:8000/health')).version, 'web02 untouched').toBe('1.0.0');
      expect(await onHost('lb01', `echo 'show stat' | socat stdio /run/haproxy/admin.sock | awk -F, '$1 == "web" && $2 == "web01" { print $18 }'`), 'web01 takes no traffic').not.toMatch(/^UP/);
    } finally {
      rmSync(source, { recursive: true, force: true });
      // The rollback: the previous version again, on both servers.
      expectOk(await provisionAsync(playbook('deploy.yaml', '-e', 'app_version=1.0.0')), 'deploy.yaml rollback');
    }
    expectConverged();
  });
});

/** The load balancer that holds the site's virtual address now. */
async function vipHolder(): Promise<LabHostName> {
  const holders: LabHostName[] = [];
  for (const lb of ['lb01', 'lb02'] as LabHostName[]) {
    if ((await onHost(lb, 'ip -4 -o addr show')).includes(' 192.168.56.100/')) holders.push(lb);
  }
  expect(holders, 'exactly one load balancer holds the virtual address').toHaveLength(1);
  return holders[0] as LabHostName;
}
