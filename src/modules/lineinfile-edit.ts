// The pure text edit behind lineinfile, following ansible-core's lineinfile.py step by step:
// regexp, search_string (a literal substring) or the exact line found → replace the last match; otherwise insert after/before the
// last line matching insertafter/insertbefore (or BOF/EOF), else append at the end.

import { expandMatch, pyRegExp } from './pyregex.js';

export interface LineEdit {
  line?: string | undefined;
  regexp?: string | undefined;
  search_string?: string | undefined;
  state: 'present' | 'absent';
  insertafter?: string | undefined;
  insertbefore?: string | undefined;
  backrefs?: boolean | undefined;
  firstmatch?: boolean | undefined;
}

export interface EditResult {
  content: string;
  changed: boolean;
  msg: string;
}

/** Lines with their endings kept, as Python's readlines(). */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const bare = (line: string) => line.replace(/[\r\n]+$/, '');

export function editLines(content: string, edit: LineEdit): EditResult {
  const lines = splitLines(content);
  return edit.state === 'absent' ? removeLines(lines, edit) : presentLine(lines, edit);
}

function removeLines(lines: string[], edit: LineEdit): EditResult {
  const re = edit.regexp !== undefined ? pyRegExp(edit.regexp) : undefined;
  const search = edit.search_string;
  const matches = (l: string): boolean =>
    re ? re.test(l.replace(/\n$/, '')) : search !== undefined ? l.includes(search) : bare(l) === edit.line;
  const kept = lines.filter((l) => !matches(l));
  const removed = lines.length - kept.length;
  return { content: kept.join(''), changed: removed > 0, msg: removed > 0 ? `${removed} line(s) removed` : '' };
}

function presentLine(lines: string[], edit: LineEdit): EditResult {
  const line = edit.line ?? '';
  const re = edit.regexp !== undefined ? pyRegExp(edit.regexp) : undefined;
  const after = edit.insertafter;
  const before = edit.insertbefore;
  const insRe =
    after !== undefined && after !== 'BOF' && after !== 'EOF'
      ? pyRegExp(after)
      : before !== undefined && before !== 'BOF'
        ? pyRegExp(before)
        : undefined;

  // index[0]: the line to replace; index[1]: where to insert.
  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | null = null;
  let searchFound = false;
  if (re) {
    for (const [i, cur] of lines.entries()) {
      const m = re.exec(cur.replace(/\n$/, ''));
      if (m) {
        found = i;
        match = m;
        if (edit.firstmatch) break;
      }
    }
  }
  if (edit.search_string !== undefined) {
    // Ansible tests `search_string in line` on the line with its ending (a literal, never a pattern).
    for (const [i, cur] of lines.entries()) {
      if (cur.includes(edit.search_string)) {
        found = i;
        searchFound = true;
        if (edit.firstmatch) break;
      }
    }
  }
  if (!match && !searchFound) {
    // No regexp or search_string match: the exact line counts as found, and the insert anchor is searched.
    for (const [i, cur] of lines.entries()) {
      if (bare(cur) === line) {
        found = i;
      } else if (insRe?.test(cur.replace(/\n$/, ''))) {
        if (after !== undefined) insertAt = i + 1;
        if (before !== undefined) insertAt = i;
        if (edit.firstmatch) break;
      }
    }
  }

  const changed = (msg: string): EditResult => ({ content: lines.join(''), changed: true, msg });
  if (found !== -1) {
    let newLine = edit.backrefs && match ? expandMatch(line, match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[found] !== newLine) {
      lines[found] = newLine;
      return changed('line replaced');
    }
    return { content: lines.join(''), changed: false, msg: '' };
  }
  if (edit.backrefs) {
    // Without a match the backreferences cannot be filled: do nothing, as Ansible does.
    return { content: lines.join(''), changed: false, msg: '' };
  }
  if (before === 'BOF' || after === 'BOF') {
    lines.unshift(`${line}\n`);
    return changed('line added');
  }
  if (after === 'EOF' || insertAt === -1) {
    const last = lines[lines.length - 1];
    if (last !== undefined && !last.endsWith('\n')) lines[lines.length - 1] = `${last}\n`;
    lines.push(`${line}\n`);
    return changed('line added');
  }
  if (after !== undefined) {
    if (insertAt === lines.length) {
      if (bare(lines[insertAt - 1] ?? '') !== line) {
        const last = lines[insertAt - 1] ?? '';
        if (!last.endsWith('\n')) lines[insertAt - 1] = `${last}\n`;
        lines.push(`${line}\n`);
        return changed('line added');
      }
      return { content: lines.join(''), changed: false, msg: '' };
    }
    if (bare(lines[insertAt] ?? '') !== line) {
      lines.splice(insertAt, 0, `${line}\n`);
      return changed('line added');
    }
    return { content: lines.join(''), changed: false, msg: '' };
  }
  lines.splice(insertAt, 0, `${line}\n`);
  return changed('line added');
}
