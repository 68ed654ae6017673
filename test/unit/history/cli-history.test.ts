// The history and the report through the real CLI (local connections, temp dirs only): runs are
// recorded beside the playbook, listed, reported; --no-history records nothing; a broken file is
// named and skipped; and no secret of a run reaches its history file or its report.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, expectNoStack, FIXTURES, INVENTORY, provision, ROOT, tempDir } from '../cli/cli.js';

let tmp: { dir: string; cleanup: () => void };
let home: string;
beforeAll(() => {
  ensureBuilt();
  tmp = tempDir();
  home = join(tmp.dir, 'home');
  mkdirSync(home);
});
afterAll(() => tmp.cleanup());

describe('provision history and report', () => {
  let project: string;
  beforeAll(() => {
    project = join(tmp.dir, 'project');
    mkdirSync(project);
    copyFileSync(join(FIXTURES, 'good.yaml'), join(project, 'good.yaml'));
    const marker = join(tmp.dir, 'marker');
    // One host at a time: both hosts are this machine, so box1 makes the marker and box2 finds it.
    for (let i = 0; i < 2; i++) {
      const r = provision(['run', 'good.yaml', '-i', INVENTORY, '-e', `marker=${marker}`, '--forks', '1'], { cwd: project, home });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('records each run beside the playbook and lists them', () => {
    expect(readdirSync(join(project, '.provision', 'runs')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2);
    const r = provision(['history'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/-good-\d+\s+\S+ \S+\s+good.yaml\s+2\s+ok=3 changed=1 failed=0\s+\S+\s+0$/);
    expect(lines[2]).toMatch(/good.yaml\s+2\s+ok=4 changed=0 failed=0\s+\S+\s+0$/);
    // From the folder above, the project's history is found in its subfolder.
    expect(provision(['history'], { cwd: tmp.dir, home }).stdout).toContain('ok=4 changed=0');
  });

  it('--no-history records nothing', () => {
    const before = readdirSync(join(project, '.provision', 'runs')).length;
    const r = provision(['run', 'good.yaml', '-i', INVENTORY, '-e', `marker=${join(tmp.dir, 'marker')}`, '--no-history'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(project, '.provision', 'runs'))).toHaveLength(before);
  });

  it('report writes the last run, compared with the one before', () => {
    const r = provision(['report', '-o', 'last.html'], { cwd: project, home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^report of \S+-good-\d+ written to last.html \(\d+ KB\)\n$/);
    const html = readFileSync(join(project, 'last.html'), 'utf8');
    expect(html).toContain('Compared with the previous run');
    expect(html).toMatch(/box1<\/span><\/td><td class="num">1 → <b>0<\/b>/);
  });

  it('a half-written run file is named on stderr and skipped; history and report go on', () => {
    const runs = join(project, '.provision', 'runs');
    const last = readdirSync(runs).sort().at(-1) as string;
    const text = readFileSync(join(runs, last), 'utf8');
    writeFileSync(join(runs, '2099-01-01T00-00-00-000Z-good-1.jsonl'), text.slice(0, Math.floor(text.length / 2)));
    const list = provision(['history'], { cwd: project, home });
    expectNoStack(list);
    expect(list.status).toBe(0);
    expect(list.stderr).toMatch(/\[WARNING\]: history: skipped \S+2099-01-01T00-00-00-000Z-good-1.jsonl: line \d+ is cut short/);
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(3);
    const report = provision(['report', '-o', '-'], { cwd: project, home });
    expect(report.status).toBe(0);
    expect(report.stdout).toContain(last.replace('.jsonl', ''));
    const named = provision(['report', '2099-01-01T00-00-00-000Z-good-1.jsonl'], { cwd: runs, home });
    expectNoStack(named);
    expect(named.status).toBe(4);
    expect(named.stderr).toMatch(/^error: 2099-01-01T00-00-00-000Z-good-1.jsonl: not a whole recorded run: line \d+ is cut short/);
  });

  it('report names a run that does not exist, without a stack', () => {
    const r = provision(['report', 'nosuchrun'], { cwd: project, home });
    expectNoStack(r);
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/no recorded run 'nosuchrun'/);
  });
});

describe('secrets', () => {
  const DB = 'Zq8-db-pass-never-shown';
  const BECOME = 'Kx7-become-pass-never-shown';
  const TOKEN = 'tok-from-the-command-line-42';
  const HIDDEN = ['top-secret-output-123', 'and-err-456', 'failing-secret-789', 'loop-secret-a1'];

  it('are in neither the history file nor the report (inventory, extra vars, no_log)', () => {
    const engine = join(ROOT, 'test/fixtures/engine');
    const out = join(tmp.dir, 'secrets');
    mkdirSync(out);
    const r = provision(
      ['run', 'secrets.yaml', '-i', 'inventory.yaml', '-e', `tmp=${out}`, '-e', `api_token=${TOKEN}`, '--diff', '--history-dir', join(out, 'h'), '--report', join(out, 'r.html')],
      { cwd: engine, home },
    );
    expect(r.status, r.stderr).toBe(0);
    const [file] = readdirSync(join(out, 'h'));
    const history = readFileSync(join(out, 'h', file as string), 'utf8');
    const html = readFileSync(join(out, 'r.html'), 'utf8');
    for (const text of [history, html]) {
      for (const secret of [DB, BECOME, TOKEN, ...HIDDEN]) expect(text).not.toContain(secret);
      // The tasks that carried them are there, masked: the test looks where the secrets would be.
      expect(text).toContain(`api_token=********`);
      expect(text).toContain('pw=********');
      expect(text).toContain('password is ********');
    }
    expect(existsSync(join(out, 'h1.conf'))).toBe(true);
  });
});
