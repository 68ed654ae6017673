// Exit codes (0, 2 failed task, 3 unreachable host) and the retry file.
// The unreachable host is an SSH host on 127.0.0.1 at a port where nothing listens.

import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture } from './harness.js';

let tmp: string;
beforeEach(() => {
  tmp = makeTmp();
});
afterEach(() => removeTmp(tmp));

/** A loopback port that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function unreachableInventory(): Promise<string> {
  const port = await closedPort();
  const path = join(tmp, 'hosts.yaml');
  writeFileSync(
    path,
    [
      'all:',
      '  hosts:',
      '    near:',
      '      ansible_connection: local',
      '    far:',
      '      ansible_connection: ssh',
      '      ansible_host: 127.0.0.1',
      `      ansible_port: ${port}`,
      '      ansible_user: nobody',
      `      provision_known_hosts_file: ${join(tmp, 'known_hosts')}`,
      '',
    ].join('\n'),
  );
  return path;
}

describe('exit codes and the retry file', () => {
  it('0 when all is well, and no retry file', async () => {
    const retryFile = join(tmp, 'site.retry');
    const o = await runFixture('linear.yaml', { options: { retryFile } });
    expect(o.summary.exitCode).toBe(0);
    expect(o.summary.retryFile).toBeUndefined();
    expect(existsSync(retryFile)).toBe(false);
    const recap = o.events.at(-1);
    expect(recap?.type).toBe('recap');
  });

  it('2 when a task failed; the retry file names the failed host', async () => {
    const retryFile = join(tmp, 'site.retry');
    const o = await runFixture('handlers-fail.yaml', { options: { retryFile } });
    expect(o.summary.exitCode).toBe(2);
    expect(o.summary.retryFile).toBe(retryFile);
    expect(readFileSync(retryFile, 'utf8')).toBe('h2\n');
    const recap = o.events.at(-1);
    expect(recap).toMatchObject({ type: 'recap', retry_file: retryFile });
    if (recap?.type !== 'recap') throw new Error('no recap');
    expect(recap.hosts.h2).toMatchObject({ failed: 1, unreachable: 0 });
  });

  it('3 when a host is unreachable: the others go on, delegate_to still reaches a local host', async () => {
    const retryFile = join(tmp, 'site.retry');
    const o = await runFixture('reach.yaml', { inventory: await unreachableInventory(), options: { retryFile } });
    // Delegated to 'near': runs although 'far' cannot be reached, with far's variables.
    expect(o.result('delegated to a local host', 'far')).toMatchObject({ status: 'changed', stdout: 'far' });
    expect(o.result('delegated to a local host', 'near').status).toBe('skipped');
    const every = o.result('on every host', 'far');
    expect(every.status).toBe('unreachable');
    expect(every.msg).toBeTruthy();
    expect(o.result('on every host', 'near').status).toBe('changed');
    expect(o.statuses('after')).toEqual(['near:ok']);
    expect(o.summary.hosts.far).toMatchObject({ ok: 0, changed: 1, failed: 0, unreachable: 1 });
    expect(o.summary.hosts.near).toMatchObject({ ok: 1, changed: 1, skipped: 1, unreachable: 0 });
    expect(o.summary.exitCode).toBe(3);
    expect(readFileSync(retryFile, 'utf8')).toBe('far\n');
  });

  it('an unreachable host fails fact gathering as unreachable, and is left out of later tasks', async () => {
    const o = await runFixture('reach-facts.yaml', { inventory: await unreachableInventory() });
    expect(o.statuses('Gathering Facts').sort()).toEqual(['far:unreachable', 'near:ok']);
    expect(o.statuses('uses a fact')).toEqual(['near:ok']);
    expect(o.summary.exitCode).toBe(3);
  });

  it('delegate_to is rendered per loop item: each item runs where it says', async () => {
    const o = await runFixture('reach-delegate-loop.yaml', { inventory: await unreachableInventory() });
    const items = o.results('delegated to each item').filter((r) => r.item !== undefined);
    expect(items.map((r) => `${r.item}:${r.status}`)).toEqual(['near:changed']);
    expect(items[0]?.stdout).toBe('near');
    expect(o.statuses('delegated to each item')).toEqual(['near:unreachable']);
  });

  it('delegating to an unreachable host makes the task\'s own host unreachable, and only play hosts are in the recap', async () => {
    const retryFile = join(tmp, 'site.retry');
    const o = await runFixture('reach-delegate.yaml', { inventory: await unreachableInventory(), options: { retryFile } });
    expect(o.statuses('delegated to the unreachable host')).toEqual(['near:unreachable']);
    expect(o.statuses('after')).toEqual([]);
    expect(Object.keys(o.summary.hosts)).toEqual(['near']);
    expect(o.summary.hosts.near).toMatchObject({ unreachable: 1 });
    expect(o.summary.exitCode).toBe(3);
    expect(readFileSync(retryFile, 'utf8')).toBe('near\n');
  });
});
