// The variables one task sees on one host, by the documented precedence (docs/VARIABLES.md).

import type { Play, Task } from '../core/playbook/types.js';
import { renderValue } from '../core/template.js';
import { magicVars, PRECEDENCE, type VarLayers } from '../core/vars.js';
import type { HostState } from './host-state.js';
import type { RunContext } from './run-context.js';

/** `learnSecrets: false` when planning ahead: the task's own turn learns them, when (and if) it comes. */
export function taskVariables(rc: RunContext, play: Play, task: Task, host: HostState, playHosts: string[], options = { learnSecrets: true }): Record<string, unknown> {
  const layers: VarLayers = {
    roleDefaults: task.role?.defaults ?? {},
    inventory: host.inventoryVars,
    play: play.vars,
    roleVars: task.role?.vars ?? {},
    roleParams: task.role?.params ?? {},
    task: task.vars,
    runtime: host.runtimeVars,
    extra: rc.options.extraVars,
  };
  // Magic variables sit below every layer: one object, each layer assigned over it in precedence order.
  const all = magicVars({
    host: host.name,
    inventory: rc.inventory,
    hostvars: (name) => rc.hostVariables(name),
    playHosts,
    check: rc.options.check,
    diff: rc.options.diff,
    role: task.role,
    playbookDir: rc.playbookDir,
  });
  for (const name of PRECEDENCE) Object.assign(all, layers[name]);
  // Secret-named variables as this host sees them: a templated one is secret as rendered, and a
  // set_fact or registered one is found here too, before the task can show it.
  if (options.learnSecrets) {
    rc.taskSecrets.learnFrom(layers, all, (layer) => (layer === 'runtime' ? host.varsVersion : 0), (value) => renderValue(value, all, task.location));
  }
  return all;
}
