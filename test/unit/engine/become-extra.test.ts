// -e ansible_become / ansible_become_user win over the play's become keywords, as in Ansible's
// precedence. Runs `id -un` through sudo on the control node (local connection; needs root or sudo).

import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runFixture } from './harness.js';

const sudoWorks = spawnSync('sudo', ['-n', '-u', 'nobody', 'true']).status === 0;

describe.skipIf(!sudoWorks)('extra vars and become', { timeout: 60_000 }, () => {
  const whoami = async (extraVars: Record<string, unknown>) => (await runFixture('become-extra.yaml', { extraVars, options: { verbosity: 1 } })).result('who am i', 'h1').stdout?.trim();

  it('the play alone becomes nobody', async () => {
    expect(await whoami({})).toBe('nobody');
  });

  it('-e ansible_become_user=root wins over become_user', async () => {
    expect(await whoami({ ansible_become_user: 'root' })).toBe('root');
  });

  it('-e ansible_become=false wins over become: true', async () => {
    expect(await whoami({ ansible_become: false })).toBe(userInfo().username);
  });
});
