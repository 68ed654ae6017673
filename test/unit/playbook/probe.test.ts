import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { loadPlaybook, validatePlaybookHosts, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { testModules } from './test-modules.js';
import { fakeInventory } from './fake-inventory.js';
const dir = join(import.meta.dirname, '../../fixtures/playbooks/errors');
it('probe', () => {
  for (const f of readdirSync(dir)) {
    try {
      const b = loadPlaybook(join(dir, f), { modules: testModules });
      const inv = fakeInventory({ web: ['web01'] }, { web01: { hv: 1 } });
      validatePlaybookHosts(b, inv);
      validatePlaybookVariables(b, inv, {});
      console.log(f, 'OK');
    } catch (e) { console.log(f, '=>', (e as Error).constructor.name, (e as Error).message.replaceAll(dir, 'D')); }
  }
  try { loadPlaybook(join(dir, '../cycle/play.yaml'), { modules: testModules }); } catch (e) { console.log('cycle', (e as Error).message); }
});
