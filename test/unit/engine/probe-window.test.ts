// Which tasks a host plans ahead with the one it is about to plan: tasks of the same list (a loop's
// items too), up to the window's size, stopping at the first step that is not one.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import type { Step, Task } from '../../../src/core/playbook/types.js';
import { tagsSelect } from '../../../src/engine/task-filter.js';
import { actsEveryTime, canJoinWindow, canPlanAhead, tasksAhead } from '../../../src/engine/probe-window.js';
import { modulesByName } from '../../../src/modules/index.js';
import { FIXTURES } from './harness.js';

const [play] = loadPlaybook(join(FIXTURES, 'probe-window.yaml')).plays;
const body: Step[] = play?.body ?? [];
const taskNamed = (name: string): Task => {
  const step = body.find((s) => s.kind === 'task' && s.task.name === name);
  if (step?.kind !== 'task') throw new Error(`no task ${name}`);
  return step.task;
};
/** The steps after the named one. */
/** The steps after the first one that matches (a test of a step that is not there fails). */
const stepsAfter = (matches: (s: Step) => boolean): Step[] => {
  const index = body.findIndex(matches);
  if (index < 0) throw new Error('no such step');
  return body.slice(index + 1);
};
const after = (name: string): Step[] => stepsAfter((s) => s.kind === 'task' && s.task.name === name);
const afterTheBlock = (): Step[] => stepsAfter((s) => s.kind === 'block');
const plannable = (skipTags: string[] = []) => (t: Task) => tagsSelect(t.tags, [], skipTags) && canJoinWindow(t, modulesByName.get(t.module));
const acts = (t: Task) => actsEveryTime(t, modulesByName.get(t.module), false);
const names = (tasks: Task[]) => tasks.map((t) => t.name);

describe('canPlanAhead', () => {
  it.each([
    ['t0 file', true],
    ['t1 copy', true],
    ['t3 loop', false],
    ['t4 stat', true],
    ['t5 wait_for', false],
    ['t6 delegated', false],
    ['t7 run once', false],
    ['t8 until', false],
    ['t12 set_fact', true],
  ])('%s: %s', (name, expected) => {
    const task = taskNamed(name);
    expect(canPlanAhead(task, modulesByName.get(task.module))).toBe(expected);
  });
});

describe('canJoinWindow', () => {
  it.each([
    ['t0 file', true],
    // Its items are planned together, ahead too.
    ['t3 loop', true],
    ['t5 wait_for', false],
    ['t6 delegated', false],
    ['t8 until', false],
  ])('%s: %s', (name, expected) => {
    const task = taskNamed(name);
    expect(canJoinWindow(task, modulesByName.get(task.module))).toBe(expected);
  });
});

describe('tasksAhead', () => {
  it('takes the tasks that follow, a loop among them, up to one that waits', () => {
    expect(names(tasksAhead(after('t0 file'), 8, plannable(), acts))).toEqual(['t1 copy', 't2 lineinfile', 't3 loop', 't4 stat']);
  });

  it('takes at most the window size minus the task about to be planned', () => {
    expect(names(tasksAhead(after('t0 file'), 2, plannable(), acts))).toEqual(['t1 copy']);
    expect(names(tasksAhead(after('t0 file'), 1, plannable(), acts))).toEqual([]);
  });

  it('stops at a module that is not planned ahead (wait_for)', () => {
    expect(names(tasksAhead(after('t4 stat'), 8, plannable(), acts))).toEqual([]);
  });

  it("walks into a block and past it (a block's own tasks run next)", () => {
    expect(names(tasksAhead(after('t8 until'), 8, plannable(), acts))).toEqual(['t9a stat', 't10 tagged', 't11 registered', 't12 set_fact', 't13 stat', 't14 command']);
  });

  it('walks into a block with a rescue, not past it (what runs next depends on failures)', () => {
    expect(names(tasksAhead(after('t18 stat'), 8, plannable(), acts))).toEqual(['t19a stat']);
  });

  it('takes tagged tasks that are selected, and stops at one that is not', () => {
    expect(names(tasksAhead(afterTheBlock(), 5, plannable(), acts))).toEqual(['t10 tagged', 't11 registered', 't12 set_fact', 't13 stat']);
    expect(names(tasksAhead(afterTheBlock(), 8, plannable(['later']), acts))).toEqual([]);
  });

  it('goes on past tasks that set variables (register, set_fact): a plan that reads none survives them', () => {
    expect(names(tasksAhead(after('t10 tagged'), 4, plannable(), acts))).toEqual(['t11 registered', 't12 set_fact', 't13 stat']);
  });

  it('ends after a task that acts every time it runs (a command with no creates)', () => {
    expect(names(tasksAhead(after('t12 set_fact'), 8, plannable(), acts))).toEqual(['t13 stat', 't14 command']);
  });

  it('goes on past a command that may not run (creates) and one in check mode', () => {
    expect(names(tasksAhead(after('t15 stat'), 4, plannable(), acts))).toEqual(['t16 command with creates', 't17 shell checked', 't18 stat']);
  });
});

describe('actsEveryTime', () => {
  it.each([
    ['t14 command', false, true],
    ['t14 command', true, false],
    ['t16 command with creates', false, false],
    ['t17 shell checked', false, false],
    ['t13 stat', false, false],
  ])('%s (--check %s): %s', (name, check, expected) => {
    const task = taskNamed(name);
    expect(actsEveryTime(task, modulesByName.get(task.module), check)).toBe(expected);
  });
});
