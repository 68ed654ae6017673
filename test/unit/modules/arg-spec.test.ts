// argSpec: aliases, mutually exclusive, required one of / together / if / by, and the messages a user
// sees for real modules, located at file:line:col of the task that is wrong.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/core/playbook/index.js';
import { argSpec, listWords } from '../../../src/modules/arg-spec.js';
import { bool } from '../../../src/modules/args.js';

const spec = argSpec(
  {
    path: z.string().min(1),
    src: z.string().optional(),
    content: z.string().optional(),
    state: z.enum(['file', 'link', 'absent']).default('file'),
    force: bool().default(false),
    owner: z.string().optional(),
    group: z.string().optional(),
    line: z.string().optional(),
    regexp: z.string().optional(),
    backrefs: bool().default(false),
    retries: z.number().default(3),
  },
  {
    aliases: { path: ['dest', 'name'], retries: ['attempts'] },
    mutuallyExclusive: [['src', 'content']],
    requiredOneOf: [['src', 'content', 'force']],
    requiredTogether: [['owner', 'group']],
    requiredIf: [
      ['state', 'link', ['src']],
      ['state', 'absent', ['line', 'regexp'], 'any'],
      ['backrefs', true, ['regexp']],
    ],
    requiredBy: { line: ['regexp'] },
    checks: [[(a) => a.retries < 10, 'retries must be below 10']],
  },
);

/** The messages of a failed parse (the parse must fail). */
function messages(input: unknown): string[] {
  const r = spec.safeParse(input);
  if (r.success) throw new Error(`expected a failure for ${JSON.stringify(input)}`);
  return r.error.issues.map((i) => i.message);
}

describe('argSpec aliases', () => {
  it('an alias is folded into its canonical name, which alone reaches the plan', () => {
    expect(spec.parse({ dest: '/etc/x', content: 'a' })).toEqual({ path: '/etc/x', content: 'a', state: 'file', force: false, backrefs: false, retries: 3 });
    expect(spec.parse({ name: '/etc/y', content: 'a', attempts: 5 })).toMatchObject({ path: '/etc/y', retries: 5 });
  });

  it('two names of one argument are an error, named as written', () => {
    expect(messages({ path: '/a', dest: '/b', content: '' })).toEqual(['path and dest are aliases: give one']);
    expect(messages({ dest: '/a', name: '/b', content: '' })).toEqual(['dest and name are aliases of path: give one']);
  });

  it('a required argument with aliases names them when missing', () => {
    expect(messages({ content: '' })).toEqual(['path (or its aliases dest, name) is required']);
  });

  it('a value error under an alias is reported at the alias the user wrote', () => {
    const r = spec.safeParse({ dest: '', content: '' });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([['dest']]);
  });

  it('an alias of an argument with a default gets the default only when no name is given', () => {
    expect(spec.parse({ path: '/a', content: '' }).retries).toBe(3);
    expect(spec.parse({ path: '/a', content: '', attempts: 0 }).retries).toBe(0);
  });
});

describe('argSpec rules', () => {
  const base = { path: '/a' };

  it('mutually exclusive', () => {
    expect(messages({ ...base, src: 's', content: 'c' })).toEqual(['src and content are mutually exclusive']);
  });

  it('required one of; a value equal to its default does not count as given', () => {
    expect(messages(base)).toEqual(['one of src, content or force is required']);
    expect(messages({ ...base, force: 'no' })).toEqual(['one of src, content or force is required']);
    expect(spec.parse({ ...base, force: 'yes' }).force).toBe(true);
    expect(spec.parse({ ...base, content: '' }).content).toBe('');
  });

  it('required together', () => {
    expect(messages({ ...base, content: '', owner: 'root' })).toEqual(['owner and group go together: group missing']);
    expect(spec.parse({ ...base, content: '', owner: 'root', group: 'adm' })).toMatchObject({ owner: 'root', group: 'adm' });
  });

  it('required if: all of, any of, and a boolean condition', () => {
    expect(messages({ ...base, content: '', state: 'link' })).toEqual(['state=link requires src']);
    expect(messages({ ...base, content: '', state: 'absent' })).toEqual(['state=absent requires line or regexp']);
    expect(spec.parse({ ...base, content: '', state: 'absent', regexp: '^x' }).state).toBe('absent');
    expect(messages({ ...base, content: '', backrefs: true })).toEqual(['backrefs requires regexp']);
  });

  it('required by, and module checks over the normalised arguments', () => {
    expect(messages({ ...base, content: '', line: 'x' })).toEqual(['line requires regexp']);
    expect(messages({ ...base, content: '', attempts: 12 })).toEqual(['retries must be below 10']);
  });

  it('every violated rule is reported, but none while a name is wrong', () => {
    expect(messages({ ...base, src: 's', content: 'c', owner: 'root', state: 'absent' })).toEqual([
      'src and content are mutually exclusive',
      'owner and group go together: group missing',
      'state=absent requires line or regexp',
    ]);
    expect(messages({ src: 's', content: 'c' })).toEqual(['path (or its aliases dest, name) is required']);
  });

  it('unknown keys are rejected, or kept with otherKeys: ignore', () => {
    expect(spec.safeParse({ ...base, content: '', colour: 'red' }).error?.issues[0]?.code).toBe('unrecognized_keys');
    const loose = argSpec({ port: z.string().optional() }, { aliases: { port: ['to_port'] }, otherKeys: 'ignore' });
    expect(loose.parse({ to_port: '22', comment: 'ssh' })).toEqual({ port: '22', comment: 'ssh' });
  });

  it('lists words as a sentence', () => {
    expect(listWords(['a'], 'or')).toBe('a');
    expect(listWords(['a', 'b'], 'and')).toBe('a and b');
    expect(listWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });
});

describe('messages of real modules, at the task that is wrong', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-argspec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function errorOf(tasks: string): InputError {
    const file = join(dir, `p${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `- hosts: all\n  tasks:\n${tasks}`);
    try {
      loadPlaybook(file, {});
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
    throw new Error('no error');
  }

  it.each([
    ['    - copy:\n        src: a.txt\n        content: x\n        dest: /tmp/a\n', 4, 9, "invalid module 'copy': src and content are mutually exclusive"],
    ['    - name: two paths\n      file:\n        dest: /a\n        name: /b\n', 5, 9, "invalid module 'file': dest and name are aliases of path: give one"],
    ['    - file: state=directory\n', 3, 13, "invalid module 'file': path (or its aliases dest, name) is required"],
    ['    - lineinfile: path=/etc/x state=present\n', 3, 19, "invalid module 'lineinfile': state=present requires line"],
    ['    - command:\n', 3, 15, "invalid module 'command': one of cmd (or the free-form command) or argv is required"],
    ['    - wait_for: search_regex=ready\n', 3, 17, "invalid module 'wait_for': search_regex requires path"],
    ['    - apt: pkg=nginx name=curl\n', 3, 12, "invalid module 'apt': name and pkg are aliases: give one"],
  ])('%j → line %i col %i (the module\'s arguments)', (tasks, line, col, message) => {
    const err = errorOf(tasks);
    expect(err.message).toMatch(new RegExp(`^${dir}/p\\w+\\.yaml:${line}:${col}: `));
    expect(err.message).toContain(`:${line}:${col}: ${message}`);
  });
});
