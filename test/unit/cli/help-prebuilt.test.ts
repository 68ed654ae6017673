// `--help` is answered from the texts the build printed (dist/help.json) without loading commander:
// each must be exactly what commander prints at run time, which the `help` command still does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, expectNoStack, provision, ROOT, tempDir } from './cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  ensureBuilt();
  tmp = tempDir();
}, 120_000);
afterAll(() => tmp.cleanup());

const run = (args: string[]) => provision(args, { home: tmp.dir });

/** The same help through commander at run time: `provision [PARENT...] help NAME`. */
const viaHelpCommand = (path: string[]): string[] => (path.length === 0 ? ['help'] : [...path.slice(0, -1), 'help', path.at(-1)!]);

it('every command path of the program has a prebuilt help text', () => {
  const paths = Object.keys(JSON.parse(readFileSync(join(ROOT, 'dist/help.json'), 'utf8')) as Record<string, string>);
  for (const expected of ['', 'run', 'role', 'validate', 'check', 'inventory', 'exec', 'lab', 'lab up', 'history', 'report', 'vault']) {
    expect(paths).toContain(expected);
  }
});

it.each([[], ['run'], ['role'], ['check'], ['inventory'], ['lab'], ['lab', 'status'], ['vault']])(
  'provision %j --help and -h print what commander prints for it',
  (...path: string[]) => {
    const commander = run(viaHelpCommand(path));
    expect(commander.status).toBe(0);
    expect(commander.stdout).toMatch(/^Usage: provision /);
    for (const flag of ['--help', '-h']) {
      const fast = run([...path, flag]);
      expectNoStack(fast);
      expect(fast.status).toBe(0);
      expect(fast.stderr).toBe('');
      expect(fast.stdout).toBe(commander.stdout);
    }
  },
);

it('a command line with more than a command path before --help still goes to commander', () => {
  const r = run(['run', 'site.yaml', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: provision run \[options\] <playbook>/);
  // An unknown word before --help: commander's own answer (the program's help), as before.
  expect(run(['nosuchcommand', '--help']).stdout).toBe(run(['help']).stdout);
});
