// YAML files parsed with source ranges kept, so every later error can name file:line:col.

import { readFileSync } from 'node:fs';
import { openVaultedText, rememberVaultValues } from './vault/vault-values.js';
import {
  isMap,
  isSeq,
  isScalar,
  isPair,
  LineCounter,
  parseDocument,
  visit,
  type Node,
  type Document,
  type ScalarTag,
  type Tags,
} from 'yaml';
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

export interface ParseYamlOptions {
  /** '1.1' reads `yes`/`no`/`on`/`off` as booleans and `0755` as octal, as PyYAML (so Ansible) does; default 1.2. */
  version?: '1.1' | '1.2';
}

// PyYAML's YAML 1.1 booleans: unlike the 1.1 spec (and the yaml package), `y`/`n` stay strings.
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t)) return t;
    const bool: ScalarTag = { ...(t as ScalarTag), test: t.identify?.(true) ? PYYAML_TRUE : PYYAML_FALSE };
    return bool;
  });
}

/**
 * A mapping with the same key twice: name the key, where it is repeated and where it was first written.
 * The document is still built when it has errors. The parser reports the offset where it began to read
 * the repeated pair (which may be before the key): the first repeated key from there is the one.
 */
function duplicateKeyError(doc: Document, file: string, offset: number, lines: LineCounter): InputError {
  let found: { key: string; at: number; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const keys = map.items.map((p) => (isScalar(p.key) ? p.key : undefined));
      keys.forEach((key, i) => {
        const at = key?.range?.[0];
        if (!key || at === undefined || at < offset || (found && found.at <= at)) return;
        const first = keys.slice(0, i).find((k) => k !== undefined && k.value === key.value);
        if (first?.range) found = { key: String(key.value), at, first: first.range[0] };
      });
    },
  });
  const pos = lines.linePos(found?.at ?? offset);
  const loc: SourceLocation = { file, line: pos.line, col: pos.col };
  if (!found) return new InputError('duplicate key in a mapping: each key may appear only once', loc);
  return new InputError(`duplicate key '${found.key}' in a mapping (first written on line ${lines.linePos(found.first).line}): each key may appear only once`, loc);
}

/**
 * The document as plain JS. Building it is where an alias fails: one whose anchor is not set before it
 * (`*x` with no `&x` above), or so many aliases that the value would explode in size.
 */
function toPlainValue(doc: Document, file: string, lines: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (err) {
    if (!(err instanceof Error) || !/alias/i.test(err.message)) throw err;
    let at: number | undefined;
    visit(doc, {
      Alias(_, alias) {
        if (at !== undefined) return visit.BREAK;
        if (!err.message.includes(`: ${alias.source}`) && !/Excessive/.test(err.message)) return undefined;
        at = alias.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = at !== undefined ? lines.linePos(at) : undefined;
    const what = /Excessive/.test(err.message) ? 'too many aliases (a YAML alias bomb?)' : `alias '*${/: (\S+)$/.exec(err.message)?.[1] ?? ''}' refers to no anchor set before it`;
    throw new InputError(`invalid YAML: ${what}`, pos ? { file, line: pos.line, col: pos.col } : { file }, "an alias '*NAME' repeats the value marked '&NAME' earlier in the file");
  }
}

export function parseYaml(text: string, file: string, options: ParseYamlOptions = {}): LoadedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    // a mapping used as a key becomes a string key: no warning on stderr
    logLevel: 'error' as const,
    ...(options.version === '1.1' ? { version: '1.1' as const, customTags: pyyamlBooleans } : {}),
  });
  const first = doc.errors[0];
  if (first) {
    // linePos is only filled in with prettyErrors; the offset always is.
    const atEndOfFile = first.pos[0] >= text.replace(/\s+$/, '').length;
    // An unclosed flow collection is reported at the end of input: point at the bracket left open.
    const opener = atEndOfFile ? (/Flow map/.test(first.message) ? '{' : /Flow sequence/.test(first.message) ? '[' : undefined) : undefined;
    const offset = opener !== undefined && text.lastIndexOf(opener) >= 0 ? text.lastIndexOf(opener) : Math.min(first.pos[0], Math.max(0, text.replace(/\s+$/, '').length - 1));
    const pos = opener !== undefined || atEndOfFile ? lineCounter.linePos(offset) : (first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]));
    const loc: SourceLocation = { file, line: pos.line, col: pos.col };
    const atEnd = opener !== undefined ? ` (the '${opener}' here is never closed)` : atEndOfFile ? ' (at the end of the file: is a bracket, brace or quote left open?)' : '';
    if (first.code === 'DUPLICATE_KEY') throw duplicateKeyError(doc, file, first.pos[0], lineCounter);
    throw new InputError(`invalid YAML: ${first.message.split('\n')[0]}${atEnd}`, loc);
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
    value: toPlainValue(doc, file, lineCounter),
    locate: (path) => find(path, false),
    locateKey: (path) => find(path, true),
  };
}

export function loadYamlFile(file: string, options: ParseYamlOptions = {}): LoadedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`, { file });
  }
  const opened = openVaultedText(text, file);
  const doc = parseYaml(opened.text, file, options);
  if (opened.vaulted) rememberVaultValues(doc.value);
  return doc;
}
