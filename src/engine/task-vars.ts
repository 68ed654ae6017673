// The variables one task sees on one host, by the documented precedence (docs/VARIABLES.md).

import type { Play, Task } from '../core/playbook/types.js';
import { renderValue } from '../core/template.js';
import { composeTaskVars, magicVars } from '../core/vars.js';
import { secretValues } from './secrets.js';
import type { HostState } from './host-state.js';
import type { RunContext } from './run-context.js';

/** `learnSecrets: false` when planning ahead: the task's own turn learns them, when (and if) it comes. */
export function taskVariables(rc: RunContext, play: Play, task: Task, host: HostState, playHosts: string[], options = { learnSecrets: true }): Record<string, unknown> {
  const vars = composeTaskVars({
    roleDefaults: task.role?.defaults ?? {},
    inventory: host.inventoryVars,
    play: play.vars,
    roleVars: task.role?.vars ?? {},
    roleParams: task.role?.params ?? {},
    task: task.vars,
    runtime: host.runtimeVars,
    extra: rc.options.extraVars,
  });
  const all = {
    ...magicVars({
      host: host.name,
      inventory: rc.inventory,
      hostvars: (name) => rc.hostVariables(name),
      playHosts,
      check: rc.options.check,
      diff: rc.options.diff,
      role: task.role,
      playbookDir: rc.playbookDir,
    }),
    ...vars,
  };
  // Secret-named variables as this host sees them: a templated one is secret as rendered, and a
  // set_fact or registered one is found here too, before the task can show it.
  if (options.learnSecrets) rc.addSecrets(secretValues(vars, (value) => renderValue(value, all, task.location)));
  return all;
}
