// The pure text edit behind blockinfile, following ansible-core's blockinfile.py: the block lives
// between two marker lines; it is replaced in place, or inserted after/before the last line
// matching insertafter/insertbefore (EOF by default), or removed with its markers.

import { pyRegExp } from './pyregex.js';

export interface BlockEdit {
  block: string;
  marker: string;
  markerBegin: string;
  markerEnd: string;
  state: 'present' | 'absent';
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function markerLines(edit: Pick<BlockEdit, 'marker' | 'markerBegin' | 'markerEnd'>): [string, string] {
  return [edit.marker.replaceAll('{mark}', edit.markerBegin), edit.marker.replaceAll('{mark}', edit.markerEnd)];
}

export function editBlock(content: string, edit: BlockEdit): { content: string; changed: boolean; msg: string } {
  const lines = splitLines(content);
  const [begin, end] = markerLines(edit);
  // An empty block with state=present removes the block, as in Ansible.
  let blockLines: string[] = [];
  if (edit.state === 'present' && edit.block !== '') {
    const body = edit.block.endsWith('\n') ? edit.block : `${edit.block}\n`;
    blockLines = [`${begin}\n`, ...splitLines(body), `${end}\n`];
  }

  let n0: number | undefined;
  let n1: number | undefined;
  for (const [i, line] of lines.entries()) {
    const bare = line.replace(/[\r\n]+$/, '');
    if (bare === begin) n0 = i;
    if (bare === end) n1 = i;
  }

  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    const anchor =
      edit.insertafter !== undefined && edit.insertafter !== 'EOF'
        ? edit.insertafter
        : edit.insertbefore !== undefined && edit.insertbefore !== 'BOF'
          ? edit.insertbefore
          : undefined;
    if (anchor !== undefined) {
      const re = pyRegExp(anchor);
      for (const [i, line] of lines.entries()) if (re.test(line.replace(/\n$/, ''))) n0 = i;
      if (n0 === undefined) n0 = lines.length;
      else if (edit.insertafter !== undefined) n0 += 1;
    } else if (edit.insertbefore !== undefined) {
      n0 = 0; // BOF
    } else {
      n0 = lines.length; // EOF
    }
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }

  // The line before the block must end with a newline; Ansible adds it even when there is no block
  // to insert (state=absent, or nothing found), so a file without a final newline gets one.
  if (n0 > 0) {
    const prev = lines[n0 - 1] ?? '';
    if (!prev.endsWith('\n')) lines[n0 - 1] = `${prev}\n`;
  }
  lines.splice(n0, 0, ...blockLines);
  const result = lines.join('');
  const changed = result !== content;
  const msg = !changed ? '' : blockLines.length === 0 ? 'Block removed' : 'Block inserted';
  return { content: result, changed, msg };
}
