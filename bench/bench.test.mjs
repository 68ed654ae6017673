// Checks of the bench's own parsing and of the delaying proxy (node --test bench/): the figures are only
// as good as the counting behind them. Local only: a loopback echo server, no lab.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ansibleOperations, provisionRoundTrips } from './lab-cases.mjs';
import { benchDir, expectRun, parseArgs, parseRecap, stats } from './lib.mjs';

test('parseRecap reads both tools\' PLAY RECAP lines', () => {
  const text = [
    'PLAY RECAP *********************************************************************',
    'web01                      : ok=7    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   ',
    'web02                      : ok=9    changed=2    unreachable=1    failed=3    skipped=0    rescued=0    ignored=0',
  ].join('\n');
  assert.deepEqual(parseRecap(text), {
    web01: { ok: 7, changed: 0, unreachable: 0, failed: 0 },
    web02: { ok: 9, changed: 2, unreachable: 1, failed: 3 },
  });
});

test('expectRun refuses a no-op run that changed something, a failed host, and a missing recap', () => {
  const ok = 'h1 : ok=3 changed=0 unreachable=0 failed=0';
  assert.doesNotThrow(() => expectRun('t', { code: 0, stdout: ok, stderr: '' }, { changed: 0 }));
  assert.throws(() => expectRun('t', { code: 0, stdout: 'h1 : ok=3 changed=1 unreachable=0 failed=0', stderr: '' }, { changed: 0 }), /changed=1 on a no-op run/);
  assert.throws(() => expectRun('t', { code: 2, stdout: 'h1 : ok=3 changed=0 unreachable=0 failed=1', stderr: '' }), /exit 2; h1: failed=1/);
  assert.throws(() => expectRun('t', { code: 0, stdout: 'no recap', stderr: '' }), /no PLAY RECAP/);
  assert.throws(() => expectRun('t', { code: 0, stdout: ok, stderr: '' }, { changed: 'some' }), /nothing changed/);
});

test('provisionRoundTrips sums the result events per host', () => {
  const lines = [
    '{"type":"task_start","task":"x"}',
    '{"type":"result","host":"web01","task":"Gathering Facts","status":"ok","round_trips":1}',
    '{"type":"result","host":"web01","task":"a","status":"ok","round_trips":2}',
    '{"type":"result","host":"web02","task":"a","status":"ok","round_trips":3}',
    '{"type":"recap","hosts":{"web01":{"ok":2,"changed":0}}}',
  ];
  assert.deepEqual(provisionRoundTrips(lines.join('\n')), { web01: 3, web02: 3 });
});

test('ansibleOperations counts SSH EXEC and PUT lines per host of a -vvv log', () => {
  const log = [
    '<192.168.56.11> ESTABLISH SSH CONNECTION FOR USER: vagrant',
    "<192.168.56.11> SSH: EXEC ssh -C -o ControlMaster=auto 192.168.56.11 '/bin/sh -c '\"'\"'echo ~vagrant'\"'\"''",
    '<192.168.56.11> SSH: EXEC ssh -C 192.168.56.11 /bin/sh -c sudo python3',
    '<192.168.56.12> PUT /root/.ansible/tmp/x TO /tmp/y',
    '<192.168.56.12> SSH: EXEC sftp -b - -C 192.168.56.12',
    '<192.168.56.12> (0, b"", b"")',
  ].join('\n');
  assert.deepEqual(ansibleOperations(log, { web01: '192.168.56.11', web02: '192.168.56.12' }), {
    web01: { exec: 2, put: 0 },
    web02: { exec: 1, put: 1 },
  });
});

test('stats and parseArgs', () => {
  assert.deepEqual(stats([5, 1, 3, 9, 7]), { n: 5, median: 5, min: 1, max: 9 });
  assert.equal(stats([4, 1, 3, 2]).median, 2.5);
  assert.deepEqual(parseArgs(['noop-site', '--runs', '7', '--quick']), { runs: 7, quick: true, parts: ['noop-site'], hosts: undefined });
  assert.throws(() => parseArgs(['--runs', 'x']), /--runs/);
});

test('slow-proxy --outer delays every chunk each way and forwards the bytes unchanged', async () => {
  const echo = createServer((s) => s.pipe(s));
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-test-'));
  const proxy = spawn(process.execPath, [join(benchDir, 'slow-proxy.mjs'), '--outer', dir, `echo=127.0.0.1:${echo.address().port}@25`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve, reject) => {
      proxy.stdout.once('data', (d) => (String(d).includes('ready') ? resolve() : reject(new Error(String(d)))));
      proxy.once('exit', (c) => reject(new Error(`proxy exited ${c}`)));
    });
    const client = createConnection(join(dir, 'echo.sock'));
    await new Promise((r) => client.once('connect', r));
    const times = [];
    for (const msg of ['first', 'second', 'x'.repeat(100_000)]) {
      const t0 = performance.now();
      client.write(msg);
      let got = '';
      await new Promise((r) => {
        const on = (d) => {
          got += d;
          if (got.length >= msg.length) {
            client.off('data', on);
            r();
          }
        };
        client.on('data', on);
      });
      times.push(performance.now() - t0);
      assert.equal(got, msg);
    }
    client.destroy();
    for (const t of times) assert.ok(t >= 49, `a round trip took ${t.toFixed(1)} ms, expected >= 50`);
  } finally {
    proxy.kill();
    echo.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
