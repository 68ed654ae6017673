// A small, pure unified diff (the format of `diff -u`) for --diff output: Myers' O(ND) algorithm
// over lines, so large config files with small changes stay cheap.

export interface UnifiedDiffOptions {
  /** Shown in the headers as `--- before: PATH` / `+++ after: PATH`. */
  path?: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

interface Line {
  text: string;
  /** False only for a last line that has no newline at the end of the file. */
  newline: boolean;
}

type Edit = { op: ' ' | '-' | '+'; line: Line };

/** Unified diff of two texts; the empty string when they are equal. */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const edits = diffLines(splitLines(before), splitLines(after));
  const suffix = options.path ? `: ${options.path}` : '';
  const out = [`--- before${suffix}`, `+++ after${suffix}`];
  for (const hunk of hunks(edits, context)) out.push(...hunk);
  return out.join('\n') + '\n';
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  return parts.map((t, i) => ({ text: t, newline: endsWithNewline || i < parts.length - 1 }));
}

function sameLine(a: Line, b: Line): boolean {
  return a.text === b.text && a.newline === b.newline;
}

/** Myers' shortest edit script, then a backtrack through the saved frontiers. */
function diffLines(a: Line[], b: Line[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(v, offset + k - 1) < at(v, offset + k + 1));
      let x = down ? at(v, offset + k + 1) : at(v, offset + k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && sameLine(a[x]!, b[y]!)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Backtrack from (n, m) through each frontier to recover the path.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(vd, offset + k - 1) < at(vd, offset + k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(vd, offset + prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: ' ', line: a[x]! });
    }
    if (d === 0) break;
    if (down) {
      y--;
      edits.push({ op: '+', line: b[y]! });
    } else {
      x--;
      edits.push({ op: '-', line: a[x]! });
    }
  }
  return edits.reverse();
}

function at(arr: number[], i: number): number {
  return arr[i] ?? 0;
}

/** Group edits into hunks with `context` lines around changes; near hunks merge, like diff -u. */
function hunks(edits: Edit[], context: number): string[][] {
  const changed = edits.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const result: string[][] = [];
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i]! - context);
    let end = Math.min(edits.length, changed[i]! + context + 1);
    // Extend while the next change is within reach of this hunk's trailing context.
    while (i + 1 < changed.length && changed[i + 1]! - context <= end) {
      i++;
      end = Math.min(edits.length, changed[i]! + context + 1);
    }
    i++;
    result.push(renderHunk(edits, start, end));
  }
  return result;
}

function renderHunk(edits: Edit[], start: number, end: number): string[] {
  // Line numbers: count the old/new lines before this hunk.
  let oldLine = 0;
  let newLine = 0;
  for (let j = 0; j < start; j++) {
    if (edits[j]!.op !== '+') oldLine++;
    if (edits[j]!.op !== '-') newLine++;
  }
  const body: string[] = [];
  let oldCount = 0;
  let newCount = 0;
  for (let j = start; j < end; j++) {
    const e = edits[j]!;
    if (e.op !== '+') oldCount++;
    if (e.op !== '-') newCount++;
    body.push(e.op + e.line.text);
    if (!e.line.newline) body.push('\\ No newline at end of file');
  }
  return [`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`, ...body];
}

/** GNU diff's range: `start,count`, ",1" omitted, and an empty range names the line before it. */
function range(linesBefore: number, count: number): string {
  if (count === 0) return `${linesBefore},0`;
  if (count === 1) return `${linesBefore + 1}`;
  return `${linesBefore + 1},${count}`;
}
