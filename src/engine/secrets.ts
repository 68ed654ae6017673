// Values never to show in any output: connection and become passwords, and every variable whose
// name says it is a secret. One list, applied by RunContext.emit to every event.

import type { Inventory } from '../core/inventory/types.js';
import type { Playbook } from '../core/playbook/types.js';

const SECRET_NAME = /(password|passwd|secret|token|private_key|api_key)$/i;

function collectFrom(vars: Record<string, unknown>, out: Set<string>): void {
  for (const [key, value] of Object.entries(vars)) {
    if (SECRET_NAME.test(key) && (typeof value === 'string' || typeof value === 'number') && !String(value).includes('<%')) {
      out.add(String(value));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      collectFrom(value as Record<string, unknown>, out);
    }
  }
}

export function collectSecrets(playbook: Playbook, inventory: Inventory, extraVars: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const host of inventory.hostNames) collectFrom(inventory.hostVars(host), out);
  collectFrom(extraVars, out);
  for (const play of playbook.plays) {
    collectFrom(play.vars, out);
    for (const role of play.roles) {
      collectFrom(role.defaults, out);
      collectFrom(role.vars, out);
      collectFrom(role.params, out);
    }
    for (const task of play.tasks) collectFrom(task.vars, out);
  }
  return [...out].filter((s) => s.length > 0);
}
