// Fact gathering: one read-only probe (facts/host.ts), one round trip, parsed into ansible_* variables. It runs as an
// ordinary step (like Ansible's `setup` task): a module whose plan reads the probe and sets the facts,
// through the same executor, result normaliser and recorder as every task.

import { dirname } from 'node:path';
import { z } from 'zod';
import { syntheticTask } from '../core/playbook/synthetic-task.js';
import type { Play, Task } from '../core/playbook/types.js';
import { hostFactsProbe, type HostFacts } from '../facts/host.js';
import { defineModule } from '../modules/types.js';

/** Facts as Ansible exposes them: `ansible_facts.x` and the `ansible_x` top-level names. */
export function factsAsVariables(facts: HostFacts): Record<string, unknown> {
  const vars: Record<string, unknown> = { ansible_facts: facts };
  for (const [k, v] of Object.entries(facts)) vars[`ansible_${k}`] = v;
  return vars;
}

/** The engine's own module behind fact gathering; not a playbook module (tasks cannot name it). */
export const factGatheringModule = defineModule({
  name: 'gather_facts',
  args: z.object({}).strict(),
  async plan(_args, ctx) {
    return { actions: [], facts: factsAsVariables(await ctx.facts.get(hostFactsProbe)) };
  },
});

/**
 * The step that gathers a play's facts, with the play's become, as Ansible's `setup` runs: a play that
 * becomes root reads its facts in root's shell, the one that already holds the host's run lock, so a
 * host needs no second shell (each costs an exec channel, a bash and its helpers on the host).
 */
export function factGatheringTask(play: Play): Task {
  return syntheticTask({
    name: 'Gathering Facts',
    module: factGatheringModule.name,
    args: {},
    baseDir: dirname(play.location.file),
    location: { file: play.location.file },
  });
}
