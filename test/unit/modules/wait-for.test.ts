import { describe, expect, it } from 'vitest';
import { fileContent, pathExists } from '../../../src/facts/files.js';
import { portState } from '../../../src/facts/network.js';
import waitFor, { planWaitFor, type Clock } from '../../../src/modules/wait-for.js';
import { contextFor } from './fact-table.js';

/** A clock that advances only when the plan sleeps. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; } };
}

const port = (n: number) => `${portState('127.0.0.1', 8080, { timeoutSeconds: 5 }).key}#${n}`;

async function run(args: unknown, facts: Record<string, unknown>, check = false) {
  const { ctx, reader } = contextFor({ name: 'w', args, facts, check });
  const clock = fakeClock();
  const plan = await planWaitFor(waitFor.args.parse(args), ctx, clock);
  return { plan, clock, reader };
}

describe('wait_for', () => {
  it('already open: one poll, no sleep', async () => {
    const { plan, clock, reader } = await run({ port: 8080 }, { [port(0)]: 'open' });
    expect(plan.failed).toBeUndefined();
    expect(plan.actions).toEqual([]);
    expect(reader.rounds).toBe(1);
    expect(clock.slept).toEqual([]);
  });
  it('polls fresh probes until the port opens, after the delay', async () => {
    const { plan, clock, reader } = await run({ port: 8080, delay: 2, sleep: 1 }, { [port(0)]: 'closed', [port(1)]: 'closed', [port(2)]: 'open' });
    expect(plan.failed).toBeUndefined();
    expect(clock.slept).toEqual([2000, 1000, 1000]);
    expect(reader.asked).toEqual([port(0), port(1), port(2)]);
  });
  it('times out with a failure', async () => {
    const facts = Object.fromEntries([0, 1, 2, 3].map((n) => [port(n), 'closed']));
    const { plan } = await run({ port: 8080, timeout: 3 }, facts);
    expect(plan.failed).toBe('Timeout when waiting for 127.0.0.1:8080 to be started');
  });
  it('state=stopped waits for the port to close', async () => {
    const { plan } = await run({ port: 8080, state: 'stopped', timeout: 5 }, { [port(0)]: 'open', [port(1)]: 'closed' });
    expect(plan.failed).toBeUndefined();
  });
  it('path present / absent', async () => {
    const key = (n: number) => `${pathExists('/run/app.pid').key}#${n}`;
    expect((await run({ path: '/run/app.pid' }, { [key(0)]: true })).plan.failed).toBeUndefined();
    expect((await run({ path: '/run/app.pid', state: 'absent', timeout: 1, msg: 'still there' }, { [key(0)]: true, [key(1)]: true })).plan.failed).toBe('still there');
  });
  it('search_regex in a file', async () => {
    const key = (n: number) => `${fileContent('/var/log/app.log').key}#${n}`;
    const { plan } = await run({ path: '/var/log/app.log', search_regex: 'listening on \\d+' }, {
      [key(0)]: { exists: true, content: Buffer.from('starting\n') },
      [key(1)]: { exists: true, content: Buffer.from('starting\nlistening on 8080\n') },
    });
    expect(plan.failed).toBeUndefined();
  });
  it('check mode polls once and never fails or waits', async () => {
    const { plan, clock } = await run({ port: 8080, delay: 10 }, { [port(0)]: 'closed' }, true);
    expect(plan.failed).toBeUndefined();
    expect(clock.slept).toEqual([]);
  });
  it.each([[{ port: 1, path: '/x' }], [{ port: 70000 }], [{ port: 80, search_regex: 'x' }], [{ host: 'a;b', port: 1 }]])('rejects %o', (a) =>
    expect(waitFor.args.safeParse(a).success).toBe(false),
  );
});
