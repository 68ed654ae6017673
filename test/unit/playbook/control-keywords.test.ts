// Load-time validation of loop_control, meta, block/rescue/always and include_tasks: each mistake is
// an InputError naming file:line:col and what was expected.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import { testModules } from './test-modules.js';

const dir = join(import.meta.dirname, '../../fixtures/playbooks/control');

function failure(name: string): InputError | InputErrors {
  try {
    loadPlaybook(join(dir, name), { modules: testModules });
  } catch (err) {
    if (err instanceof InputError || err instanceof InputErrors) return err;
    throw err;
  }
  throw new Error(`${name}: no error`);
}

describe('control keywords: load-time errors with locations', () => {
  it.each([
    ['loop-control-no-loop.yaml', 6, 7, /'loop_control' needs 'loop'/],
    ['loop-control-bad.yaml', 8, 16, /pause.*expected number/],
  ])('%s -> line %i col %i', (name, line, col, pattern) => {
    const err = failure(name);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.startsWith(`${join(dir, name)}:${line}:${col}: `)).toBe(true);
    expect(err.message).toMatch(pattern);
  });
});
