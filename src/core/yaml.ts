// YAML files parsed with source ranges kept, so every later error can name file:line:col.

import { readFileSync } from 'node:fs';
import { isMap, isSeq, isScalar, isPair, LineCounter, parseDocument, type Node, type Document } from 'yaml';
import { InputError, type SourceLocation } from './errors.js';

export type YamlPath = readonly (string | number)[];

export interface LoadedYaml {
  file: string;
  /** Plain JS value of the document (null for an empty file). */
  value: unknown;
  /** Location of the node at a path (falls back to the nearest existing parent, then the file). */
  locate(path: YamlPath): SourceLocation;
  /** Location of the key of a mapping entry (for "unknown keyword" errors). */
  locateKey(path: YamlPath): SourceLocation;
}

export function parseYaml(text: string, file: string): LoadedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const loc: SourceLocation = pos ? { file, line: pos.line, col: pos.col } : { file };
    throw new InputError(`invalid YAML: ${first.message.split('\n')[0]}`, loc);
  }
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const find = (path: YamlPath, wantKey: boolean): SourceLocation => {
    let node: unknown = doc.contents;
    let last: SourceLocation = at((doc.contents as Node | null)?.range?.[0]);
    for (const [i, seg] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return last;
        const isLast = i === path.length - 1;
        if (isLast && wantKey) return at((pair.key as Node).range?.[0]);
        node = pair.value;
        last = at(((pair.value as Node | null) ?? (pair.key as Node)).range?.[0]);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) return last;
        node = item;
        last = at(item.range?.[0]);
      } else {
        return last;
      }
    }
    return last;
  };
  return {
    file,
    value: doc.toJS({ maxAliasCount: 1000 }) as unknown,
    locate: (path) => find(path, false),
    locateKey: (path) => find(path, true),
  };
}

export function loadYamlFile(file: string): LoadedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`, { file });
  }
  return parseYaml(text, file);
}
