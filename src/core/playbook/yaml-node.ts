// A value inside a loaded YAML file together with its path, so that every check can name file:line:col.

import type { SourceLocation } from '../errors.js';
import type { LoadedYaml, YamlPath } from '../yaml.js';

export class YamlNode {
  constructor(
    readonly doc: LoadedYaml,
    readonly path: YamlPath,
    readonly value: unknown,
  ) {}

  static root(doc: LoadedYaml): YamlNode {
    return new YamlNode(doc, [], doc.value);
  }

  get file(): string {
    return this.doc.file;
  }
  /** Location of this value. */
  get loc(): SourceLocation {
    return this.doc.locate(this.path);
  }
  /** Location of a key of this mapping (or of the mapping when the key is absent). */
  keyLoc(key: string): SourceLocation {
    return this.doc.locateKey([...this.path, key]);
  }
  /** Location of a path below this value (nearest existing parent when missing). */
  locate(sub: readonly (string | number)[]): SourceLocation {
    return this.doc.locate([...this.path, ...sub]);
  }
  child(key: string | number): YamlNode {
    const v = this.value as Record<string | number, unknown> | unknown[] | null;
    const value = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined;
    return new YamlNode(this.doc, [...this.path, key], value);
  }
  isMap(): this is YamlNode & { value: Record<string, unknown> } {
    return isRecord(this.value);
  }
  isList(): this is YamlNode & { value: unknown[] } {
    return Array.isArray(this.value);
  }
  items(): YamlNode[] {
    return Array.isArray(this.value) ? this.value.map((_, i) => this.child(i)) : [];
  }
  keys(): string[] {
    return isRecord(this.value) ? Object.keys(this.value) : [];
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}
