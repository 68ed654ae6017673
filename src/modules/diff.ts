// Before/after text for --diff: only for text that is not too large (Ansible's limit), never for binary.

import type { FileDiff } from './types.js';

/** Ansible's default max_diff_size. */
export const MAX_DIFF_BYTES = 104_448;

export function isDiffableText(content: Buffer): boolean {
  if (content.length > MAX_DIFF_BYTES || content.includes(0)) return false;
  return Buffer.from(content.toString('utf8'), 'utf8').equals(content);
}

/** A diff entry, or undefined when either side is binary or too large to show. */
export function textDiff(path: string, before: Buffer, after: Buffer): FileDiff | undefined {
  if (!isDiffableText(before) || !isDiffableText(after)) return undefined;
  return { path, before: before.toString('utf8'), after: after.toString('utf8') };
}
