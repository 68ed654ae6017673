// The unified diff (the format of `diff -u`) shown by --diff, made by the `diff` package (jsdiff) and
// kept behind this one file: headers `--- before: PATH` / `+++ after: PATH`, GNU diff's hunk ranges,
// `\ No newline at end of file` markers. Colour and secret masking stay with the reporters.

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

export interface UnifiedDiffOptions {
  /** Shown in the headers as `--- before: PATH` / `+++ after: PATH`. */
  path?: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

/** Unified diff of two texts; the empty string when they are equal. */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const suffix = options.path ? `: ${options.path}` : '';
  const patch = createTwoFilesPatch(`before${suffix}`, `after${suffix}`, before, after, undefined, undefined, {
    context: options.context ?? 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  // jsdiff always writes a range's count; GNU diff omits a count of 1 (`@@ -3 +3,2 @@`), as before.
  return patch.replace(HUNK_HEADER, (_, oldStart: string, oldCount: string, newStart: string, newCount: string) =>
    `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
}

/** What --diff shows for a file whose only changes are secret values (masked alike on both sides). */
export function secretsOnlyNote(path: string | undefined): string {
  return `${path ?? 'the content'}: only secret values change (masked, not shown)`;
}

/** A hunk header; every other line of the body starts with ' ', '-', '+' or '\\'. */
const HUNK_HEADER = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/gm;

function range(start: string, count: string): string {
  return count === '1' ? start : `${start},${count}`;
}
