// The differential test: every case runs under provision and under ansible-core on separate fresh
// temp trees; files, changed flags, the second run and --check must match, or the case must be a
// difference documented in docs/MODULES.md whose exact shape is recorded (so it fails either way).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCases } from './cases/index.js';
import { differences } from './harness/compare.js';
import { observeAll, type Observations } from './harness/observe.js';

const MODULES_DOC = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/MODULES.md'), 'utf8');

// DIFF_ONLY="name|other name" observes only the cases whose names contain one of the parts, so one
// case can be checked without running every case (combine with -t to list only those tests).
const only = process.env['DIFF_ONLY']?.split('|').filter((p) => p !== '');
const selected = only ? allCases.filter((c) => only.some((p) => c.name.includes(p))) : allCases;

let observations: Observations | undefined;

beforeAll(async () => {
  observations = await observeAll(selected);
});

afterAll(() => observations?.cleanup());

describe('provision and ansible-core on the same tasks', () => {
  it('has uniquely named cases', () => {
    expect(new Set(allCases.map((c) => c.name)).size).toBe(allCases.length);
  });

  for (const c of selected) {
    it(`${c.name} (${c.source})`, () => {
      const observed = observations?.byCase.get(c.name);
      if (!observed) throw new Error('not observed');
      const { provision, ansible } = observed;
      // A case whose ansible side fails where it should not is a broken case, not a match.
      expect(ansible.run.length, 'ansible ran no task').toBeGreaterThan(0);
      if (!c.ansibleFails) expect(ansible.run, 'ansible failed').not.toContain('failed');
      else expect(ansible.run, 'ansible was expected to fail').toContain('failed');
      const found = differences(provision, ansible);
      if (c.difference) {
        expect(MODULES_DOC).toContain(c.difference.doc);
        expect(found, found.join('\n')).toEqual(c.difference.diff);
      } else {
        expect(found, found.join('\n')).toEqual([]);
      }
    });
  }
});
