// The bad-input corpus (test/fixtures/bad-input/<case>/, described in its README.md), each case run
// through the real CLI: exit code 4, the error names the expected file:line:col and says the expected
// words, no stack trace, and no host contacted (every inventory host is a loopback port this test
// listens on, and it must see no connection).

import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBuilt, expectNoStack, provision, ROOT, tempDir } from './cli.js';

const CORPUS = join(ROOT, 'test/fixtures/bad-input');

interface Expectation {
  /** Command line (default: validate playbook.yaml -i inventory.yaml). */
  args?: string[];
  /** File the error names, relative to the case (or a flag such as `-e`, taken as is). */
  file?: string;
  line?: number;
  col?: number;
  /** Words the message must contain, each as written. */
  words: string[];
  exit: number;
}

const DEFAULT_INVENTORY = `all:
  vars:
    ansible_port: @PORT@
  children:
    web:
      hosts:
        web01: {ansible_host: 127.0.0.1}
        web02: {ansible_host: 127.0.0.1}
    db:
      hosts:
        db01: {ansible_host: 127.0.0.1}
`;
const DEFAULT_PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - name: a task that would touch the host
      command: touch /tmp/provision-bad-input-corpus
`;

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

let server: Server;
let port = 0;
let contacts = 0;

beforeAll(async () => {
  ensureBuilt();
  server = createServer((socket) => {
    contacts++;
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
}, 120_000);
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('the bad-input corpus', () => {
  it('has at least 40 cases, each with its expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const name of cases) expect(existsSync(join(CORPUS, name, 'expect.yaml')), name).toBe(true);
  });

  it.each(cases)('%s', (name) => {
    const expected = parse(readFileSync(join(CORPUS, name, 'expect.yaml'), 'utf8')) as Expectation;
    const tmp = tempDir();
    try {
      const dir = join(tmp.dir, 'case');
      cpSync(join(CORPUS, name), dir, { recursive: true });
      const inventory = join(dir, 'inventory.yaml');
      if (!existsSync(inventory)) writeFileSync(inventory, DEFAULT_INVENTORY);
      writeFileSync(inventory, readFileSync(inventory, 'utf8').replaceAll('@PORT@', String(port)));
      if (!existsSync(join(dir, 'playbook.yaml'))) writeFileSync(join(dir, 'playbook.yaml'), DEFAULT_PLAYBOOK);

      const r = provision(expected.args ?? ['validate', 'playbook.yaml', '-i', 'inventory.yaml'], { cwd: dir, home: tmp.dir });

      expectNoStack(r);
      expect(r.stdout + r.stderr).not.toMatch(/^ {4}at /m);
      expect(r.status, r.stderr).toBe(expected.exit);
      if (expected.file !== undefined) {
        const file = expected.file.startsWith('-') ? expected.file : join(dir, expected.file);
        const where = [file, expected.line, expected.col].filter((p) => p !== undefined).join(':');
        expect(r.stderr.startsWith(`error: ${where}: `), `stderr should start with "error: ${where}: " but is:\n${r.stderr}`).toBe(true);
      }
      for (const word of expected.words) expect(r.stderr, `"${word}" is not in:\n${r.stderr}`).toContain(word);
      expect(contacts).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});
