// Property: whatever a user does to the project's own playbooks, roles, inventories and templates,
// `validate` either accepts the result or rejects it with the invalid-input error (exit code 4) that
// names where: never another exception (a crash), a stack trace in the message, or a hang. The
// project is copied once to a temp dir; each case mutates one file (structurally through the YAML
// tree, or as text), validates in-process against the lab inventory the smallest playbook that reaches
// it (a role's file: its play of site.yaml with that role alone; a playbook: itself; an inventory
// file: failover.yaml, a play on every group), and puts the file back.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, parse, parseDocument, type Node } from 'yaml';
import { validatePlaybookFile } from '../../../src/cli/validate-playbook.js';
import { ExitCode, InputError, InputErrors, ProvisionError } from '../../../src/core/errors.js';
import { ROOT } from './cli.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = 200;
/** One validation takes well under a second, even on a busy machine; more than this is a hang. */
const CASE_BUDGET_MS = 10_000;

let work: string;
let files: string[];
const originals = new Map<string, string>();

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ya?ml|ejs)$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'provision-fuzz-'));
  for (const dir of ['playbooks', 'roles', 'inventory']) cpSync(join(ROOT, dir), join(work, dir), { recursive: true });
  files = ['playbooks', 'roles', 'inventory'].flatMap((d) => listFiles(join(work, d)));
  for (const f of files) originals.set(f, readFileSync(f, 'utf8'));
  // One playbook per role of site.yaml: its play's hosts and keywords, that role alone.
  const site = parse(readFileSync(join(work, 'playbooks/site.yaml'), 'utf8')) as { hosts: string; become?: boolean; roles?: unknown[] }[];
  for (const play of site) {
    for (const role of play.roles ?? []) {
      if (typeof role !== 'string') continue;
      const text = `- hosts: ${play.hosts}\n  become: ${String(play.become ?? false)}\n  roles: [${role}]\n`;
      writeFileSync(join(work, `playbooks/fuzz-${role}.yaml`), text);
      rolePlaybooks.set(role, join(work, `playbooks/fuzz-${role}.yaml`));
    }
  }
});

const rolePlaybooks = new Map<string, string>();

/** The playbook that reaches a file with the least else to validate. */
function playbookFor(file: string): string {
  const [top, second] = relative(work, file).split('/');
  if (top === 'roles' && second) return rolePlaybooks.get(second) ?? join(work, 'playbooks/site.yaml');
  if (top === 'playbooks') return file;
  return join(work, 'playbooks/failover.yaml');
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

// ---- mutations

type Replacement = 'number' | 'string' | 'list' | 'map' | 'null' | 'bool' | 'template';
type Mutation =
  | { kind: 'delete-key' | 'duplicate-key'; pick: number }
  | { kind: 'retype'; pick: number; to: Replacement }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'indent'; line: number; by: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'dangling-alias'; line: number };

const replacement: Record<Replacement, unknown> = {
  number: 42,
  string: 'text',
  list: ['a', 1],
  map: { a: 1, b: ['x'] },
  null: null,
  bool: true,
  template: '<%= no_such_variable %>',
};

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-key' as const, 'duplicate-key' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), to: fc.constantFrom(...(Object.keys(replacement) as Replacement[])) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.constantFrom('\t', ':', ': ', '{', '}', '[', ']', '"', "'", '<%', '%>', '<%= x(', '- ', '\n', '\n  - ', '&a ', '*a', '!!binary ', '|', '>', '#', '\u0000', '\uFEFF', '? ', ',', '%'),
  }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('dangling-alias' as const), line: fc.nat() }),
);

/** Every mapping pair and sequence item of a document, as [parent, index] pairs. */
function slots(node: unknown, out: { parent: { items: unknown[] }; index: number }[] = []): typeof out {
  if (isMap(node) || isSeq(node)) {
    node.items.forEach((item, index) => {
      out.push({ parent: node as { items: unknown[] }, index });
      slots(isMap(node) ? (item as { value: unknown }).value : item, out);
    });
  }
  return out;
}

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * m.at));
    case 'insert': {
      const at = Math.floor(text.length * m.at);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'indent': {
      const i = m.line % lines.length;
      const line = lines[i] ?? '';
      lines[i] = m.by > 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'duplicate-line': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'dangling-alias': {
      // the value of a `key: value` line becomes an alias to an anchor that does not exist
      const withValue = lines.flatMap((l, i) => (/^[^#]*\w: \S/.test(l) ? [i] : []));
      const i = withValue[m.line % Math.max(1, withValue.length)];
      if (i === undefined) return text;
      lines[i] = (lines[i] ?? '').replace(/: .*$/, ': *nowhere');
      return lines.join('\n');
    }
    default: {
      const doc = parseDocument(text);
      if (doc.errors.length) return text;
      const all = slots(doc.contents);
      const slot = all[m.pick % Math.max(1, all.length)];
      if (!slot) return text;
      const { parent, index } = slot;
      if (m.kind === 'delete-key') parent.items.splice(index, 1);
      else if (m.kind === 'duplicate-key') parent.items.splice(index, 0, parent.items[index]);
      else if (m.kind === 'retype') {
        const value = doc.createNode(replacement[m.to]) as Node;
        const item = parent.items[index];
        if (isMap(parent)) (item as { value: unknown }).value = value;
        else parent.items[index] = value;
      }
      // A duplicated pair is printed twice: the duplicate key the loader must name.
      return doc.toString();
    }
  }
}

// ---- the property

function problemsOf(err: unknown): InputError[] | undefined {
  if (err instanceof InputErrors) return err.errors;
  if (err instanceof InputError) return [err];
  return undefined;
}

describe('validate on mutated project files', () => {
  it(`never crashes, never prints a stack, never hangs (${RUNS} cases, seed ${SEED})`, () => {
    let cases = 0;
    let rejected = 0;
    const property = fc.property(fc.nat(), mutationArb, (pick, mutation) => {
      const file = files[pick % files.length] as string;
      const original = originals.get(file) as string;
      const mutated = mutate(original, mutation);
      writeFileSync(file, mutated);
      const started = Date.now();
      try {
        validatePlaybookFile(playbookFor(file), { inventory: join(work, 'inventory/vagrant.yaml') });
      } catch (err) {
        const what = `${relative(work, file)} after ${JSON.stringify(mutation)}`;
        const problems = problemsOf(err);
        if (!problems) throw new Error(`not an input error: ${what}`, { cause: err });
        expect((err as ProvisionError).exitCode, what).toBe(ExitCode.invalidInput);
        expect((err as Error).message, what).not.toMatch(/^\s+at /m);
        for (const p of problems) expect(p.location?.file, `${what}: ${p.message}`).toBeTruthy();
        rejected++;
      } finally {
        writeFileSync(file, original);
        cases++;
      }
      expect(Date.now() - started, `${relative(work, file)} after ${JSON.stringify(mutation)}`).toBeLessThan(CASE_BUDGET_MS);
    });
    fc.assert(property, { seed: SEED, numRuns: RUNS, endOnFailure: true });
    console.log(`validate fuzz: ${cases} cases run, ${rejected} rejected as invalid input, ${cases - rejected} accepted`);
    expect(cases).toBe(RUNS);
  }, 300_000);
});
