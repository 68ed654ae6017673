// Secrets never reach an event: passwords from the inventory (db_password, ansible_become_password)
// are masked everywhere, and no_log hides a task's results.

import { describe, expect, it } from 'vitest';
import { collectSecrets } from '../../../src/engine/secrets.js';
import { loadInventory } from '../../../src/core/inventory/index.js';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FIXTURES, INVENTORY, makeTmp, removeTmp, runFixture, type Outcome } from './harness.js';

const DB = 'Zq8-db-pass-never-shown';
const BECOME = 'Kx7-become-pass-never-shown';
const HIDDEN = ['top-secret-output-123', 'and-err-456', 'failing-secret-789', 'loop-secret-a1'];

let tmp: string;
let o: Outcome;
beforeAll(async () => {
  tmp = makeTmp();
  o = await runFixture('secrets.yaml', { tmp, options: { diff: true } });
});
afterAll(() => removeTmp(tmp));

describe('secrets', () => {
  it('db_password and ansible_become_password appear in no event', () => {
    const all = JSON.stringify(o.events);
    expect(all).not.toContain(DB);
    expect(all).not.toContain(BECOME);
    // ...but the tasks did see them, masked on the way out.
    expect(o.result('show the db password', 'h1').msg).toBe('password is ********');
    expect(o.result('show the become password', 'h1').msg).toBe('********');
    expect(o.result('echo the password', 'h2').stdout).toBe('********');
    expect(o.result('password in a file diff', 'h1').diff?.[0]?.after).toBe('pw=********\n');
  });

  it('no_log hides output, errors and loop items, while the task still runs', () => {
    const all = JSON.stringify(o.events);
    for (const s of HIDDEN) expect(all).not.toContain(s);
    expect(o.result('hidden', 'h1').status).toBe('changed');
    const failed = o.result('hidden failure', 'h1');
    expect(failed).toMatchObject({ status: 'failed', ignored: true });
    expect(failed.msg).toMatch(/no_log/);
    expect(o.results('hidden loop').filter((r) => r.item !== undefined)).toHaveLength(2);
  });

  it('no_log does not change what register stores (as in Ansible)', () => {
    expect(o.statuses('the registered value keeps the real data')).toEqual(['h1:ok', 'h2:ok']);
    expect(o.summary.exitCode).toBe(0);
  });

  it('collectSecrets finds the inventory passwords', () => {
    const pb = loadPlaybook(join(FIXTURES, 'secrets.yaml'), { extraVars: { tmp: '/x' } });
    const secrets = collectSecrets(pb, loadInventory(INVENTORY, { warn: () => undefined }), { api_token: 'tok-1' });
    expect(secrets).toEqual(expect.arrayContaining([DB, BECOME, 'tok-1']));
  });

  it('the runner masks with the secrets it is given (the CLI finds them once, for the run and the history)', async () => {
    const marker = 'given-only-Q7-marker';
    const told = await runFixture('given-secrets.yaml', { extraVars: { marker }, secrets: [marker] });
    expect(told.result('show the marker', 'h1').display).toBe('marker ********');
    expect(JSON.stringify(told.events)).not.toContain(marker);
    // Not secret by its name: without the list, the runner finds no reason to mask it.
    const untold = await runFixture('given-secrets.yaml', { extraVars: { marker } });
    expect(untold.result('show the marker', 'h1').display).toBe(`marker ${marker}`);
  });
});
