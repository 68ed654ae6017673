// The commit a playbook's repository is at, read from the .git files rather than by running git:
// a process spawn alone would cost more than the history's whole budget (< 5 ms a run).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** HEAD's commit of the repository containing `dir`, or undefined (no repository, unborn branch). */
export function gitCommitOf(dir: string): string | undefined {
  try {
    const gitDir = findGitDir(resolve(dir));
    if (!gitDir) return undefined;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    return ref ? resolveRef(gitDir, ref) : undefined;
  } catch {
    return undefined;
  }
}

/** `.git` is a directory, or (worktrees, submodules) a file saying `gitdir: PATH`. */
function findGitDir(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, '.git');
    const stat = statSync(candidate, { throwIfNoEntry: false });
    if (stat) {
      if (stat.isDirectory()) return candidate;
      const target = /^gitdir: (.+)$/m.exec(readFileSync(candidate, 'utf8'))?.[1]?.trim();
      return target ? resolve(dir, target) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function resolveRef(gitDir: string, ref: string): string | undefined {
  // A worktree keeps HEAD in its own directory and the refs in the common one.
  const commonFile = join(gitDir, 'commondir');
  const common = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
  for (const base of [gitDir, common]) {
    const loose = join(base, ref);
    if (existsSync(loose)) {
      const sha = readFileSync(loose, 'utf8').trim();
      if (SHA.test(sha)) return sha;
    }
  }
  const packed = join(common, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  for (const line of readFileSync(packed, 'utf8').split('\n')) {
    const [sha, name] = line.split(' ');
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return undefined;
}
