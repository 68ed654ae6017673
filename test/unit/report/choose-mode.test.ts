import { expect, test } from 'vitest';
import { chooseMode } from '../../../src/report/index.js';

test.each([
  [{ json: true, isTTY: true, ci: false }, 'json'],
  [{ json: true, isTTY: false, ci: true }, 'json'],
  [{ json: false, isTTY: true, ci: false }, 'tty'],
  [{ json: false, isTTY: true, ci: true }, 'plain'],
  [{ json: false, isTTY: false, ci: false }, 'plain'],
] as const)('chooseMode(%o) is %s', (input, mode) => {
  expect(chooseMode(input)).toBe(mode);
});
