import { describe, expect, test } from 'vitest';
import { unifiedDiff } from '../../../src/report/unified-diff.js';

const lines = (n: number): string => Array.from({ length: n }, (_, i) => `l${i + 1}\n`).join('');

/** Apply a unified diff to `before` (strict: context and removed lines must match). */
function applyPatch(before: string, patch: string): string {
  const src = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const srcNoNewline = before !== '' && !before.endsWith('\n');
  const out: string[] = [];
  let outNoNewline = false;
  let pos = 0;
  const body = patch.replace(/\n$/, '').split('\n').slice(2);
  let last: ' ' | '-' | '+' | undefined;
  for (const line of body) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(line);
    if (header) {
      const oldStart = Number(header[1]);
      const oldCount = header[2] === undefined ? 1 : Number(header[2]);
      const start = oldCount === 0 ? oldStart : oldStart - 1;
      while (pos < start) out.push(src[pos++]!);
      continue;
    }
    if (line === '\\ No newline at end of file') {
      if (last === '+' || last === ' ') outNoNewline = true;
      continue;
    }
    const op = line[0] as ' ' | '-' | '+';
    const text = line.slice(1);
    last = op;
    if (op === '+') {
      out.push(text);
      outNoNewline = false;
      continue;
    }
    expect(src[pos]).toBe(text);
    pos++;
    if (op === ' ') {
      out.push(text);
      outNoNewline = false;
    }
  }
  while (pos < src.length) {
    out.push(src[pos++]!);
    outNoNewline = srcNoNewline && pos === src.length;
  }
  if (out.length === 0) return '';
  return out.join('\n') + (outNoNewline ? '' : '\n');
}

/** Size of the shortest edit script (by LCS), counting a last line without newline as distinct. */
function minimalEdits(a: string, b: string): number {
  const split = (t: string): string[] => (t === '' ? [] : t.split(/(?<=\n)/));
  const x = split(a);
  const y = split(b);
  const dp = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      dp[i]![j] = x[i - 1] === y[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
    }
  }
  return x.length + y.length - 2 * dp[x.length]![y.length]!;
}

describe('unifiedDiff', () => {
  test('equal texts give no diff', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { path: '/etc/x' })).toBe('');
  });

  test('headers name the path, or only before/after without one', () => {
    expect(unifiedDiff('a\n', 'b\n', { path: '/etc/motd' }).split('\n').slice(0, 2)).toEqual([
      '--- before: /etc/motd',
      '+++ after: /etc/motd',
    ]);
    expect(unifiedDiff('a\n', 'b\n').split('\n').slice(0, 2)).toEqual(['--- before', '+++ after']);
  });

  test('three lines of context; changes more than six lines apart make two hunks (as GNU diff -u)', () => {
    const before = lines(20);
    const after = before.replace('l5\n', 'L5\n').replace('l18\n', 'L18\n').replace('l10\n', '');
    expect(unifiedDiff(before, after, { path: 'f' })).toBe(
      [
        '--- before: f',
        '+++ after: f',
        '@@ -2,12 +2,11 @@',
        ' l2', ' l3', ' l4', '-l5', '+L5', ' l6', ' l7', ' l8', ' l9', '-l10', ' l11', ' l12', ' l13',
        '@@ -15,6 +14,6 @@',
        ' l15', ' l16', ' l17', '-l18', '+L18', ' l19', ' l20',
        '',
      ].join('\n'),
    );
  });

  test('changes six lines apart share one hunk', () => {
    const before = lines(20);
    const after = before.replace('l5\n', 'L5\n').replace('l12\n', 'L12\n');
    const diff = unifiedDiff(before, after);
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -2,14 +2,14 @@']);
  });

  test('a new file and a removed file', () => {
    expect(unifiedDiff('', 'a\nb\n')).toBe('--- before\n+++ after\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\nb\n', '')).toBe('--- before\n+++ after\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  });

  test('a one-line range omits its count', () => {
    expect(unifiedDiff('a\n', 'b\n')).toBe('--- before\n+++ after\n@@ -1 +1 @@\n-a\n+b\n');
  });

  test('missing newline at end of file is marked, and adding one is a change', () => {
    expect(unifiedDiff('x\ny', 'x\nz')).toBe(
      '--- before\n+++ after\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('x\ny', 'x\ny\n')).toBe(
      '--- before\n+++ after\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n',
    );
  });

  test('custom context', () => {
    const diff = unifiedDiff(lines(10), lines(10).replace('l5\n', 'five\n'), { context: 1 });
    expect(diff).toBe('--- before\n+++ after\n@@ -4,3 +4,3 @@\n l4\n-l5\n+five\n l6\n');
  });

  test('random edits: the patch turns before into after and is never larger than needed', () => {
    // Deterministic pseudo-random generator so a failure can be reproduced.
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const words = ['a', 'b', 'c', 'd', 'e'];
      const before = Array.from({ length: rand(15) }, () => words[rand(5)]!);
      const after = before.flatMap((w) => {
        const r = rand(6);
        if (r === 0) return [];
        if (r === 1) return [w, words[rand(5)]!];
        if (r === 2) return [words[rand(5)]!];
        return [w];
      });
      const a = before.join('\n') + (before.length && rand(4) ? '\n' : '');
      const b = after.join('\n') + (after.length && rand(4) ? '\n' : '');
      const patch = unifiedDiff(a, b);
      if (a === b) {
        expect(patch).toBe('');
        continue;
      }
      expect(applyPatch(a, patch), `before=${JSON.stringify(a)} after=${JSON.stringify(b)}\n${patch}`).toBe(b);
      const edits = patch.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
      expect(edits).toBe(minimalEdits(a, b));
    }
  });

  test('a large file with one change stays fast', () => {
    const before = lines(20000);
    const started = Date.now();
    const diff = unifiedDiff(before, before.replace('l10000\n', 'changed\n'));
    expect(diff).toContain('@@ -9997,7 +9997,7 @@');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
