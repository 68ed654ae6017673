// Load-time validation of loop_control, meta, block/rescue/always and include_tasks: each mistake is
// an InputError naming file:line:col and what was expected.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/core/playbook/index.js';

const dir = join(import.meta.dirname, '../../fixtures/playbooks/control');

function failure(name: string): InputError | InputErrors {
  try {
    loadPlaybook(join(dir, name));
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
    ['meta-unknown.yaml', 4, 13, /meta.*expected one of "flush_handlers", "end_host", "end_batch", "end_play", "noop", got the string "refresh_inventory"/],
    ['meta-loop.yaml', 5, 7, /'loop' is not allowed on a 'meta' task: meta acts once per host/],
  ])('%s -> line %i col %i', (name, line, col, pattern) => {
    const err = failure(name);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.startsWith(`${join(dir, name)}:${line}:${col}: `)).toBe(true);
    expect(err.message).toMatch(pattern);
  });
});
