// A layer of variables is scanned once per version, and a templated secret is rendered only where the
// task sees that layer's value: the mask learns the same secrets as a full scan of every task's variables.

import { describe, expect, it } from 'vitest';
import { TaskSecretLearner } from '../../../src/engine/task-secrets.js';

function learner(): { learnt: string[][]; l: TaskSecretLearner } {
  const learnt: string[][] = [];
  return { learnt, l: new TaskSecretLearner((values) => learnt.push([...values])) };
}

const render = (value: unknown): unknown => String(value).replace('<%= x %>', 'rendered');

describe('TaskSecretLearner', () => {
  it('learns the plain secrets of a layer once, however many tasks see it', () => {
    const { learnt, l } = learner();
    const inventory = { db_password: 'inv-pw', users: [{ name: 'a', password: 'nested-pw' }], other: 'x' };
    for (let i = 0; i < 3; i++) l.learnFrom({ inventory }, { ...inventory }, () => 0, render);
    expect(learnt).toEqual([['inv-pw', 'nested-pw']]);
  });

  it('renders a templated secret for each task, only where its layer gives the value the task sees', () => {
    const { learnt, l } = learner();
    const roleDefaults = { api_token: 'tok-<%= x %>' };
    const play = { api_token: 'play-<%= x %>' };
    const all = { ...roleDefaults, ...play };
    l.learnFrom({ roleDefaults, play }, all, () => 0, render);
    l.learnFrom({ roleDefaults, play }, all, () => 0, render);
    expect(learnt).toEqual([['play-rendered'], ['play-rendered']]);
  });

  it('rescans a layer changed in place when its version changes (a set_fact of a secret)', () => {
    const { learnt, l } = learner();
    const runtime: Record<string, unknown> = { plain: 'x' };
    l.learnFrom({ runtime }, { ...runtime }, () => 1, render);
    runtime.new_secret = 'made-at-run-time';
    l.learnFrom({ runtime }, { ...runtime }, () => 1, render);
    expect(learnt).toEqual([]);
    l.learnFrom({ runtime }, { ...runtime }, () => 2, render);
    expect(learnt).toEqual([['made-at-run-time']]);
  });

  it('skips a templated secret that does not render (the task reports the error)', () => {
    const { learnt, l } = learner();
    const task = { x_password: '<%= missing %>' };
    l.learnFrom({ task }, { ...task }, () => 0, () => {
      throw new Error('missing is undefined');
    });
    expect(learnt).toEqual([]);
  });
});
