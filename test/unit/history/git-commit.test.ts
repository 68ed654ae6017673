// The commit read from .git's files is the one git itself names (git is the independent judge):
// a branch, packed refs, a detached HEAD, a worktree, and no repository at all.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitCommitOf } from '../../../src/history/git-commit.js';

let dir: string;
const git = (...args: string[]): string => {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: join(dir, 'repo'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-git-'));
  mkdirSync(join(dir, 'repo', 'playbooks'), { recursive: true });
  git('init', '-q');
  writeFileSync(join(dir, 'repo', 'playbooks', 'site.yaml'), '[]\n');
  git('add', '.');
  git('commit', '-qm', 'one');
  writeFileSync(join(dir, 'repo', 'playbooks', 'site.yaml'), '[] # two\n');
  git('commit', '-qam', 'two');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gitCommitOf', () => {
  it('follows HEAD to the branch, from a subfolder', () => {
    expect(gitCommitOf(join(dir, 'repo', 'playbooks'))).toBe(git('rev-parse', 'HEAD'));
  });

  it('finds a packed ref', () => {
    git('pack-refs', '--all', '--prune');
    expect(gitCommitOf(join(dir, 'repo', 'playbooks'))).toBe(git('rev-parse', 'HEAD'));
  });

  it('reads a detached HEAD', () => {
    const first = git('rev-parse', 'HEAD~1');
    git('checkout', '-q', first);
    expect(gitCommitOf(join(dir, 'repo'))).toBe(first);
    git('checkout', '-q', 'main');
  });

  it('reads a worktree (HEAD in its own git dir, refs in the common one)', () => {
    git('worktree', 'add', '-q', '-b', 'side', join(dir, 'wt'));
    expect(gitCommitOf(join(dir, 'wt', 'playbooks'))).toBe(git('rev-parse', 'side'));
  });

  it('is undefined outside a repository', () => {
    mkdirSync(join(dir, 'plain'));
    expect(gitCommitOf(join(dir, 'plain'))).toBeUndefined();
  });
});
