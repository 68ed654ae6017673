// Fact gathering runs with the play's become, as Ansible's `setup` does (docs/PLAYBOOKS.md): in a play
// that becomes root the facts are root's, read in root's shell, the one that holds the run lock and runs
// the tasks, so the host gets one shell from the run, not two. Read-only on web02.

import { describe, expect, it } from 'vitest';
import { provision, taskResults, type CliRun } from './helpers/cli.js';
import { describeLab, labInventory } from './helpers/lab.js';

const host = 'web02';
const playbook = 'test/fixtures/integration/facts-become.yaml';
const run = (...extra: string[]) =>
  provision(['run', playbook, '-i', labInventory, '--limit', host, '--json', '--no-retry-file', '--no-history', '--lock-timeout', '300', ...extra]);

/** What the fixture's two tasks found on the host: the facts' user and the run's shells. */
function observed(r: CliRun): { userId: string | undefined; shells: string | undefined } {
  expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
  const results = taskResults(r, host) as unknown as Record<string, unknown>[];
  const msg = results.map((e) => e.msg).find((m): m is string => typeof m === 'string' && m.startsWith('user_id='));
  const out = results.map((e) => e.stdout).find((s): s is string => typeof s === 'string' && s.startsWith('shells='));
  return { userId: msg?.slice('user_id='.length), shells: out?.trim().slice('shells='.length) };
}

describeLab('fact gathering with the play\'s become', () => {
  describe('a play that becomes root', () => {
    it("reads root's facts in the one shell of the run", () => {
      expect(observed(run())).toEqual({ userId: 'root', shells: '1' });
    });
  });

  describe('the same play with become forced off (-e ansible_become=false)', () => {
    it("reads the login user's facts; the lock stays in root's shell, so there are two", () => {
      expect(observed(run('-e', 'ansible_become=false'))).toEqual({ userId: 'vagrant', shells: '2' });
    });
  });
});
