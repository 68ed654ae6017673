// Plans computed ahead are used only in the state they were computed in: same host epoch, same
// rendered inputs, and the same variables stamp for a plan that read variables; once each. Over a
// real local shell.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import type { Task } from '../../../src/core/playbook/types.js';
import { HostState } from '../../../src/engine/host-state.js';
import { PlansAhead, type PlanInputs, type PlanJob, type Stamp } from '../../../src/engine/plan-prefetch.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { RoundTripTally } from '../../../src/transport/types.js';
import { FIXTURES } from './harness.js';

const tasks: Task[] = loadPlaybook(join(FIXTURES, 'probe-window.yaml')).plays[0]?.tasks ?? [];
const [first, second, third] = tasks as [Task, Task, Task];

const inputs = (args: unknown): PlanInputs => ({ args, become: false, check: false, diff: false });
/** A job whose plan's reason is what `echo WORD` printed on the host (or a plan that throws). */
const job = (task: Task, word: string, args: unknown = { word }): PlanJob => ({
  key: task,
  inputs: inputs(args),
  plan: async (facts) => {
    const said = await facts.get({ key: `echo:${word}`, command: `echo ${word}`, parse: (r) => r.stdout.trim() });
    if (said === 'broken') throw new Error('cannot plan');
    return { actions: [], reason: said };
  },
});
/** The same, but its plan also reads the task's variables (as a template's text does), after its probe. */
const readingJob = (task: Task, word: string): PlanJob => ({
  ...job(task, word),
  plan: async (facts, readsVars) => {
    const plan = await job(task, word).plan(facts, readsVars);
    readsVars();
    return plan;
  },
});

let transport: LocalTransport;
let tally: RoundTripTally;
let plans: PlansAhead;
const stamp: Stamp = { epoch: 4, vars: 2 };
beforeEach(() => {
  transport = new LocalTransport('local');
  tally = { roundTrips: 0 };
  plans = new PlansAhead();
});
afterEach(async () => {
  await transport.close();
});

async function openWindow(): Promise<void> {
  const plan = await plans.window(job(first, 'one'), [job(second, 'two'), job(third, 'one')], stamp, async () => transport, tally);
  expect(plan.reason).toBe('one');
}

describe('PlansAhead', () => {
  it('plans the window in one round trip and gives each plan once, in the same state', async () => {
    await openWindow();
    expect(tally.roundTrips).toBe(1);
    expect((await plans.take(second, inputs({ word: 'two' }), { ...stamp }))?.reason).toBe('two');
    expect(plans.take(second, inputs({ word: 'two' }), stamp)).toBeUndefined();
    expect((await plans.take(third, inputs({ word: 'one' }), stamp))?.reason).toBe('one');
  });

  it('drops every plan once the host epoch moved', async () => {
    await openWindow();
    const later = { ...stamp, epoch: stamp.epoch + 1 };
    expect(plans.take(second, inputs({ word: 'two' }), later)).toBeUndefined();
    expect([plans.has(second, later), plans.has(third, later)]).toEqual([false, false]);
  });

  it('drops a plan that read variables once they changed, and keeps one that did not', async () => {
    await plans.window(job(first, 'one'), [readingJob(second, 'two'), job(third, 'three')], stamp, async () => transport, tally);
    const later = { ...stamp, vars: stamp.vars + 1 };
    expect([plans.has(second, later), plans.has(third, later)]).toEqual([false, true]);
    expect(plans.take(second, inputs({ word: 'two' }), stamp)).toBeUndefined();
    expect((await plans.take(third, inputs({ word: 'three' }), later))?.reason).toBe('three');
  });

  it('keeps a plan that read variables while they stay the same', async () => {
    await plans.window(job(first, 'one'), [readingJob(second, 'two')], stamp, async () => transport, tally);
    expect((await plans.take(second, inputs({ word: 'two' }), { ...stamp }))?.reason).toBe('two');
  });

  it('does not give a plan computed from other inputs', async () => {
    await openWindow();
    expect(plans.take(second, inputs({ word: 'other' }), stamp)).toBeUndefined();
    expect(plans.take(third, { ...inputs({ word: 'one' }), check: true }, stamp)).toBeUndefined();
  });

  it('knows which tasks have no plan yet in this state', async () => {
    await openWindow();
    expect([first, second, third].map((t) => plans.has(t, stamp))).toEqual([false, true, true]);
  });

  it('keeps a failed plan ahead as none (the task plans again the ordinary way)', async () => {
    await plans.window(job(first, 'one'), [job(second, 'broken')], stamp, async () => transport, tally);
    expect(await plans.take(second, inputs({ word: 'broken' }), stamp)).toBeUndefined();
  });

  it("rejects with the first task's own error", async () => {
    await expect(plans.window(job(first, 'broken'), [job(second, 'two')], stamp, async () => transport, tally)).rejects.toThrow('cannot plan');
  });

  it('a task planned alone later (a handler) reads what a window read in the same state, with no round trip', async () => {
    await openWindow();
    const own: RoundTripTally = { roundTrips: 0 };
    expect((await plans.window(job(first, 'two'), [], { ...stamp }, async () => transport, own)).reason).toBe('two');
    expect(own.roundTrips).toBe(0);
    // A probe the window did not read costs its round trip.
    expect((await plans.window(job(first, 'three'), [], stamp, async () => transport, own)).reason).toBe('three');
    expect(own.roundTrips).toBe(1);
  });

  it('reads again once the host epoch moved, not when only variables did (they change nothing on the host)', async () => {
    await openWindow();
    const own: RoundTripTally = { roundTrips: 0 };
    await plans.window(job(first, 'two'), [], { ...stamp, vars: stamp.vars + 1 }, async () => transport, own);
    expect(own.roundTrips).toBe(0);
    await plans.window(job(first, 'two'), [], { ...stamp, epoch: stamp.epoch + 1 }, async () => transport, own);
    await plans.window(job(first, 'two'), [], { epoch: stamp.epoch + 2, vars: stamp.vars + 1 }, async () => transport, own);
    expect(own.roundTrips).toBe(2);
  });

  it('asks again a probe that failed in an earlier window of the same state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-prefetch-'));
    try {
      const file = join(dir, 'answer');
      writeFileSync(file, 'bad');
      const reading: PlanJob = {
        key: first,
        inputs: inputs({}),
        plan: async (facts) => {
          const said = await facts.get({ key: 'answer', command: `cat ${file}`, parse: (r) => {
            if (r.stdout === 'bad') throw new Error('unreadable answer');
            return r.stdout;
          } });
          return { actions: [], reason: said };
        },
      };
      await expect(plans.window(reading, [], stamp, async () => transport, tally)).rejects.toThrow('unreadable answer');
      writeFileSync(file, 'good');
      expect((await plans.window(reading, [], stamp, async () => transport, tally)).reason).toBe('good');
      expect(tally.roundTrips).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HostState epoch', () => {
  it('moves on anything done on the host; variables set move only the variables version', () => {
    const host = new HostState('h', {}, () => transport);
    host.setVars({ a: 1 });
    expect([host.epoch, host.varsVersion, host.runtimeVars]).toEqual([0, 1, { a: 1 }]);
    host.touch();
    expect([host.epoch, host.varsVersion]).toEqual([1, 1]);
  });
});
