// Observes every case with both tools on separate fresh trees under os.tmpdir(): a first run, a
// second run on the same tree, and a --check run on another fresh tree. The ansible side runs as a
// few batched processes while provision runs the cases in this process.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cached, remember } from './ansible-cache.js';
import { runAnsiblePhase } from './ansible.js';
import { runProvision } from './provision.js';
import { freshTree, snapshot } from './tree.js';
import type { DiffCase, Observation } from './types.js';

export interface Observed {
  provision: Observation;
  ansible: Observation;
}

async function observeProvision(c: DiffCase, dir: string): Promise<Observation> {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const runTree = freshTree(dir, 'run', c.setup);
  const checkTree = freshTree(dir, 'check', c.setup);
  const run = await runProvision(c, runTree, work, false);
  const tree = snapshot(runTree);
  const rerun = await runProvision(c, runTree, work, false);
  const retree = snapshot(runTree);
  const check = await runProvision(c, checkTree, work, true);
  return { run, tree, rerun, retree, check, checkTree: snapshot(checkTree) };
}

async function observeAnsible(all: DiffCase[], dir: string): Promise<Map<string, Observation>> {
  const known = new Map<string, Observation>();
  for (const c of all) {
    const observation = cached(c);
    if (observation) known.set(c.name, observation);
  }
  const cases = all.filter((c) => !known.has(c.name));
  if (cases.length === 0) return known;
  const runTrees = new Map<string, string>();
  const checkTrees = new Map<string, string>();
  cases.forEach((c, i) => {
    runTrees.set(c.name, freshTree(join(dir, String(i)), 'run', c.setup));
    checkTrees.set(c.name, freshTree(join(dir, String(i)), 'check', c.setup));
  });
  const [run, check] = await Promise.all([
    runAnsiblePhase(cases, { trees: runTrees, check: false }, join(dir, 'work-run')),
    runAnsiblePhase(cases, { trees: checkTrees, check: true }, join(dir, 'work-check')),
  ]);
  const trees = new Map(cases.map((c) => [c.name, snapshot(runTrees.get(c.name) as string)]));
  const rerun = await runAnsiblePhase(cases, { trees: runTrees, check: false }, join(dir, 'work-rerun'));
  for (const c of cases) {
    const observation: Observation = {
      run: run.get(c.name) ?? [],
      tree: trees.get(c.name) ?? [],
      rerun: rerun.get(c.name) ?? [],
      retree: snapshot(runTrees.get(c.name) as string),
      check: check.get(c.name) ?? [],
      checkTree: snapshot(checkTrees.get(c.name) as string),
    };
    // A failed ansible-playbook throws before this point, so only complete observations are kept.
    remember(c, observation);
    known.set(c.name, observation);
  }
  return known;
}

export interface Observations {
  byCase: Map<string, Observed>;
  cleanup(): void;
}

export async function observeAll(cases: DiffCase[]): Promise<Observations> {
  const base = mkdtempSync(join(tmpdir(), 'provision-differential-'));
  const ansiblePromise = observeAnsible(cases, join(base, 'ansible'));
  const provision = new Map<string, Observation>();
  for (const [i, c] of cases.entries()) provision.set(c.name, await observeProvision(c, join(base, 'provision', String(i))));
  const ansible = await ansiblePromise;
  const byCase = new Map<string, Observed>();
  for (const c of cases) {
    byCase.set(c.name, { provision: provision.get(c.name) as Observation, ansible: ansible.get(c.name) as Observation });
  }
  return { byCase, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
