#!/usr/bin/env node
// A delaying TCP proxy: this kernel has no netem, so the bench adds latency in user space. Two halves,
// because the tools must keep connecting to the hosts' real addresses (templates use ansible_host, and
// host keys are recorded per address):
//   --outer DIR NAME=HOST:PORT[@DELAY_MS]...   in the machine's network: listens on DIR/NAME.sock and
//       forwards to HOST:PORT, holding every chunk DELAY_MS (default 25) in each direction (so 50 ms per
//       round trip);
//   --inner DIR NAME=ADDR:PORT...              inside the bench's network namespace, where the lab's
//       addresses are local: listens on ADDR:PORT and pipes to DIR/NAME.sock (a Unix socket is a file,
//       so it crosses network namespaces).
// Prints "ready" once every listener is up; runs until killed.

import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

const [mode, dir, ...specs] = process.argv.slice(2);
if ((mode !== '--outer' && mode !== '--inner') || !dir || specs.length === 0) {
  console.error('usage: slow-proxy.mjs --outer DIR NAME=HOST:PORT[@DELAY_MS]... | --inner DIR NAME=ADDR:PORT...');
  process.exit(2);
}

/** Forwards a's data to b after delayMs, in order (timers of one duration fire in the order set). */
function pipeDelayed(a, b, delayMs) {
  a.on('data', (chunk) => {
    if (delayMs === 0) b.write(chunk);
    else setTimeout(() => b.writable && b.write(chunk), delayMs);
  });
  a.on('end', () => (delayMs === 0 ? b.end() : setTimeout(() => b.end(), delayMs)));
  a.on('error', () => b.destroy());
  a.on('close', () => setTimeout(() => b.destroy(), delayMs + 50));
}

function listen(server, ...args) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(...args, () => resolve());
  });
}

const listeners = specs.map(async (spec) => {
  const m = /^([\w.-]+)=([^:@]+):(\d+)(?:@(\d+))?$/.exec(spec);
  if (!m) throw new Error(`bad mapping '${spec}' (NAME=HOST:PORT[@DELAY_MS])`);
  const [, name, host, port, delay] = m;
  const sock = join(dir, `${name}.sock`);
  if (mode === '--outer') {
    const delayMs = delay === undefined ? 25 : Number(delay);
    const server = createServer({ noDelay: true }, (client) => {
      const upstream = createConnection({ host, port: Number(port), noDelay: true });
      pipeDelayed(client, upstream, delayMs);
      pipeDelayed(upstream, client, delayMs);
    });
    await listen(server, sock);
  } else {
    const server = createServer({ noDelay: true }, (client) => {
      const upstream = createConnection(sock);
      pipeDelayed(client, upstream, 0);
      pipeDelayed(upstream, client, 0);
    });
    await listen(server, Number(port), host);
  }
});

Promise.all(listeners).then(
  () => console.log('ready'),
  (err) => {
    console.error(`slow-proxy: ${err.message}`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => process.exit(0));
