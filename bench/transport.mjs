#!/usr/bin/env node
// Round-trip benchmark of the transport: prints figures, asserts nothing.
//   node bench/transport.mjs                      against a private sshd on 127.0.0.1 (test fixture)
//   BENCH_HOST=192.168.56.11 BENCH_USER=vagrant BENCH_KEY=~/.ssh/key [BENCH_PORT=22]
//   [BENCH_KNOWN_HOSTS=file] [BENCH_BECOME_USER=root] [BENCH_N=50] node bench/transport.mjs
// src/transport (and the sshd fixture) are bundled with esbuild into node_modules/.cache first, so that
// the bundle resolves node-ssh from the project's node_modules and no TypeScript loader is needed.

import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'node_modules', '.cache', 'provision-bench');
mkdirSync(outDir, { recursive: true });
const entry = join(outDir, 'entry.ts');
writeFileSync(
  entry,
  [
    `export { SshTransport } from ${JSON.stringify(join(root, 'src/transport/ssh.ts'))};`,
    `export { startSshd, sshdUnavailable } from ${JSON.stringify(join(root, 'test/unit/transport/sshd-fixture.ts'))};`,
  ].join('\n'),
);
const bundle = join(outDir, 'bench-lib.mjs');
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { SshTransport, startSshd, sshdUnavailable } = await import(pathToFileURL(bundle).href);

const N = Number(process.env.BENCH_N ?? 50);
const tilde = (p) => (p?.startsWith('~/') ? join(homedir(), p.slice(2)) : p);

let fixture;
let settings;
if (process.env.BENCH_HOST) {
  settings = {
    host: process.env.BENCH_HOST,
    address: process.env.BENCH_HOST,
    port: Number(process.env.BENCH_PORT ?? 22),
    user: process.env.BENCH_USER ?? userInfo().username,
    ...(process.env.BENCH_KEY ? { privateKeyFile: tilde(process.env.BENCH_KEY) } : {}),
    connection: 'ssh',
    trustOnFirstUse: false,
    knownHostsFile: tilde(process.env.BENCH_KNOWN_HOSTS ?? '~/.ssh/known_hosts'),
    connectTimeoutMs: 10_000,
  };
} else {
  const why = sshdUnavailable();
  if (why) {
    console.error(`cannot start the loopback sshd: ${why}; set BENCH_HOST to measure a real host`);
    process.exit(1);
  }
  fixture = await startSshd();
  settings = {
    host: 'loopback',
    address: '127.0.0.1',
    port: fixture.port,
    user: fixture.user,
    privateKeyFile: fixture.clientKeyFile,
    connection: 'ssh',
    trustOnFirstUse: false,
    knownHostsFile: fixture.knownHostsFile,
    connectTimeoutMs: 10_000,
  };
}
// Becoming yourself is a plain shell: measure sudo by becoming someone else when logged in as root.
const becomeUser = process.env.BENCH_BECOME_USER ?? (settings.user === 'root' ? 'nobody' : 'root');

async function timeIt(times, fn) {
  const samples = [];
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { n: times, median: at(0.5), p90: at(0.9) };
}

const rows = [];
const row = (name, r, note = '') => {
  rows.push({ name, ...r, note });
  console.error(`  ${name}: median ${r.median.toFixed(2)} ms`);
};

// Three typical read-only probes (packages, a service, a file hash), as in DESIGN.md's measurements.
const probes = [
  "dpkg-query -W -f='${Package} ${Status} ${Version}\\n' bash coreutils",
  'systemctl is-active ssh || true',
  'sha256sum /etc/hostname',
];

try {
  console.error(`benchmarking ${settings.user}@${settings.address}:${settings.port}, N=${N}`);
  row(
    'connect (handshake + key auth)',
    await timeIt(Math.min(N, 10), async () => {
      const t = new SshTransport(settings);
      await t.connect();
      await t.close();
    }),
  );

  const t = new SshTransport(settings);
  const first = await timeIt(1, () => t.exec('true'));
  row('first exec: connect + start the persistent shell', first);
  row('`true` via the persistent shell', await timeIt(N, () => t.exec('true')));
  row('`true` via a fresh exec channel (execCommand)', await timeIt(N, () => t.execChannel('true')));
  row('3 probes in one execBatch (shell)', await timeIt(N, () => t.execBatch(probes)));
  row(
    '3 probes as 3 exec channels',
    await timeIt(N, async () => {
      for (const p of probes) await t.execChannel(p);
    }),
  );
  const becomeStart = await timeIt(1, () => t.exec('true', { become: { user: becomeUser } }));
  row(`first become (${becomeUser}): sudo + start its shell`, becomeStart);
  row(`\`true\` with become (${becomeUser})`, await timeIt(N, () => t.exec('true', { become: { user: becomeUser } })));
  const mb = Buffer.alloc(1024 * 1024, 0x61);
  row(
    '1 MB stdin transfer (`wc -c`)',
    await timeIt(Math.min(N, 20), async () => {
      const r = await t.exec('wc -c', { stdin: mb });
      if (r.stdout.trim() !== String(mb.length)) throw new Error(`stdin arrived short: ${r.stdout}`);
    }),
  );
  // A read-only get of a file every Debian host has (about 1.2 MB).
  let size = 0;
  const getRow = await timeIt(Math.min(N, 20), async () => {
    size = (await t.get('/usr/bin/bash')).length;
  });
  row(`get /usr/bin/bash (${(size / 1048576).toFixed(2)} MB)`, getRow);
  console.error(`  round trips on the benchmark connection: ${t.roundTrips}`);
  await t.close();

  console.log(`\nprovision transport benchmark: ${settings.user}@${settings.address}:${settings.port} (${fixture ? 'loopback sshd fixture' : 'BENCH_HOST'})`);
  console.log('| operation | n | median ms | p90 ms |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.median.toFixed(2)} | ${r.p90.toFixed(2)} |`);
  }
} finally {
  await fixture?.stop();
}
