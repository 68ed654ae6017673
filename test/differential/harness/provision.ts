// Runs one case through provision's real engine in this process, over the local transport, with
// the same inventory shape as the ansible side (one host, ansible_connection=local).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadInventory } from '../../../src/core/inventory/index.js';
import { loadPlaybook, validatePlaybookHosts, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { EventBus, type RunEvent } from '../../../src/engine/events.js';
import { defaultRunOptions } from '../../../src/engine/options.js';
import { runPlaybook } from '../../../src/engine/runner.js';
import { handlersFor, tasksFor, type DiffCase, type Statuses } from './types.js';

/**
 * Statuses of each task-level result, in order. A load or validation error (provision refuses the
 * playbook before touching anything) is the single status `refused: MESSAGE`.
 */
export async function runProvision(c: DiffCase, tree: string, workDir: string, check: boolean): Promise<Statuses> {
  const inventoryPath = join(workDir, 'inventory.yaml');
  const playbookPath = join(workDir, 'play.yaml');
  writeFileSync(inventoryPath, stringify({ all: { hosts: { local: { ansible_connection: 'local' } } } }));
  const tasks = tasksFor(c, 'provision').split('@T@').join(tree);
  const handlers = handlersFor(c, 'provision')?.split('@T@').join(tree);
  const handlerSection = handlers !== undefined ? `\n  handlers:\n${indent(handlers)}` : '';
  writeFileSync(playbookPath, `- hosts: all\n  gather_facts: false\n  tasks:\n${indent(tasks)}${handlerSection}`);
  const events: RunEvent[] = [];
  try {
    const pb = loadPlaybook(playbookPath, { extraVars: {} });
    const inventory = loadInventory(inventoryPath, { playbookDir: pb.dir, warn: () => undefined });
    validatePlaybookHosts(pb, inventory);
    validatePlaybookVariables(pb, inventory, {});
    const bus = new EventBus();
    bus.on((e) => events.push(e));
    // Its own state dir (run lock, pending handlers): cases run side by side on the one local host.
    await runPlaybook(pb, inventory, { ...defaultRunOptions, check, extraVars: {}, stateDir: join(workDir, 'state') }, bus);
  } catch (err) {
    const message = (err as Error).message.split(workDir).join('@W@').split(tree).join('@T@');
    return [`refused: ${message.split('\n')[0] ?? ''}`];
  }
  // DIFF_DEBUG=1 prints why provision failed a task (the statuses alone do not say).
  if (process.env.DIFF_DEBUG) for (const e of events) if (e.type === 'result' && e.status === 'failed') console.log('provision failed:', e.host, e.task, e.msg);
  return events.flatMap((e) => (e.type === 'result' && e.item === undefined ? [e.status] : []));
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : `    ${l}`))
    .join('\n');
}
