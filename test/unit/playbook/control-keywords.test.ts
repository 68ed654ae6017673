// Load-time validation of loop_control, meta, block/rescue/always and include_tasks: each mistake is
// an InputError naming file:line:col and what was expected.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, InputErrors } from '../../../src/core/errors.js';
import { loadPlaybook, validatePlaybookVariables } from '../../../src/core/playbook/index.js';
import { fakeInventory } from './fake-inventory.js';

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
    ['block-loop.yaml', 4, 7, /unknown keyword 'loop' for block/],
    ['rescue-alone.yaml', 4, 7, /'rescue' is only valid next to 'block'/],
    ['handler-rescue.yaml', 10, 7, /'rescue' is not supported in handlers/],
    ['block-bad-section.yaml', 6, 15, /always.*expected array/],
    ['include-loop-control.yaml', 4, 7, /'loop_control' needs 'loop' \(or 'with_items'\) on the same include/],
    ['import-loop.yaml', 4, 7, /'import_tasks' cannot loop[\s\S]*use 'include_tasks'/],
    ['meta-handler.yaml', 7, 7, /a 'meta' task cannot be a handler/],
    ['meta-loop.yaml', 5, 7, /'loop' is not allowed on a 'meta' task: meta acts once per host/],
  ])('%s -> line %i col %i', (name, line, col, pattern) => {
    const err = failure(name);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message.startsWith(`${join(dir, name)}:${line}:${col}: `)).toBe(true);
    expect(err.message).toMatch(pattern);
  });
});

describe('block keywords', () => {
  const play = loadPlaybook(join(dir, 'block-keywords.yaml')).plays[0]!;
  const task = (name: string) => play.tasks.find((t) => t.name === name)!;

  it("apply to the tasks of block, rescue and always; a task's own keyword wins", () => {
    for (const name of ['in block', 'in rescue', 'in always']) {
      expect(task(name).when, name).toEqual(['flag']);
      expect(task(name).tags, name).toEqual(['blk']);
      expect(task(name).become, name).toBe(true);
    }
    expect(task('in block').ignoreErrors).toBe(true);
    expect(task('in rescue').ignoreErrors).toBe(false);
    expect(task('in always').ignoreErrors).toBe(true);
    expect(task('in block').vars).toEqual({ a: 2 });
    expect(task('in always').vars).toEqual({ a: 1 });
  });

  it('keep the tree for the engine: one block step with its three sections', () => {
    expect(play.body).toHaveLength(1);
    const block = play.body[0]!;
    expect(block.kind).toBe('block');
    if (block.kind !== 'block') return;
    expect(block.name).toBe('outer');
    expect([block.block.length, block.rescue.length, block.always.length]).toEqual([1, 1, 1]);
  });
});

describe('include_tasks at load time', () => {
  it('a file named without a template is loaded and checked with the playbook, errors located in that file', () => {
    const err = failure('include-bad-file.yaml');
    expect(err.message.startsWith(`${join(dir, 'bad-tasks.yaml')}:2:3: unknown module 'debgu'`)).toBe(true);
  });

  it('the variables of a templated file name are checked before any host is touched', () => {
    const book = loadPlaybook(join(dir, 'include-undefined.yaml'));
    expect(() => validatePlaybookVariables(book, fakeInventory({ web: ['web01'] }, {}), {})).toThrow(
      new RegExp(`^${join(dir, 'include-undefined.yaml')}:3:22: undefined variable 'no_such_var'`),
    );
  });

  it("the include's loop variable is known to the included tasks", () => {
    const book = loadPlaybook(join(dir, 'include-loop-vars.yaml'));
    expect(() => validatePlaybookVariables(book, fakeInventory({ web: ['web01'] }, {}), {})).not.toThrow();
    const include = book.plays[0]!.body[0]!;
    expect(include.kind).toBe('include');
    expect(book.plays[0]!.tasks.map((t) => t.name)).toEqual(['include_tasks tasks.yaml', 'a task']);
  });
});
