// Reads history files back. A file that is not a whole run (bad JSON on a line, no header, no end
// record: a run killed mid-way or still running, a disk that filled up) is returned as a problem
// with the reason, so callers report it and go on: a broken file never stops `history` or `report`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_FORMAT, type RecordedEvent, type RunFooter, type RunHeader, type RunRecord } from './record.js';
import { isRunFile } from './run-id.js';

export interface BadRunFile {
  file: string;
  problem: string;
}

export type ParsedRunFile = { ok: true; record: RunRecord } | ({ ok: false } & BadRunFile);

export function parseRunText(text: string, file: string): ParsedRunFile {
  const bad = (problem: string): ParsedRunFile => ({ ok: false, file, problem });
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) return bad('empty file');
  const objects: Record<string, unknown>[] = [];
  for (const [i, line] of lines.entries()) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const last = i === lines.length - 1;
      return bad(last ? `line ${i + 1} is cut short (the run was killed while writing?)` : `line ${i + 1} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
      return bad(`line ${i + 1} is not a history record (no "type")`);
    }
    objects.push(value as Record<string, unknown>);
  }
  const header = objects[0] as Partial<RunHeader>;
  if (header.type !== 'history_start') return bad('line 1 is not a history header');
  if (header.format !== HISTORY_FORMAT) return bad(`history format ${String(header.format)} (this provision reads format ${HISTORY_FORMAT})`);
  if (typeof header.id !== 'string' || typeof header.playbook !== 'string' || !Array.isArray(header.command) || typeof header.started_at !== 'string') {
    return bad('the header lacks id, playbook, command or started_at');
  }
  const footer = objects.at(-1) as Partial<RunFooter>;
  if (objects.length < 2 || footer.type !== 'history_end') return bad('no end record (the run was killed, or is still running)');
  if (typeof footer.exit_code !== 'number' || typeof footer.duration_ms !== 'number') return bad('the end record lacks exit_code or duration_ms');
  const events = objects.slice(1, -1) as unknown as RecordedEvent[];
  const stray = events.findIndex((e) => typeof e.at_ms !== 'number' || (e.type as string).startsWith('history_'));
  if (stray >= 0) return bad(`line ${stray + 2} is not a run event`);
  return { ok: true, record: { file, header: header as RunHeader, events, footer: footer as RunFooter } };
}

export function readRunFile(file: string): ParsedRunFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, file, problem: err instanceof Error ? err.message : String(err) };
  }
  return parseRunText(text, file);
}

export interface HistoryListing {
  /** Whole runs, oldest first. */
  runs: RunRecord[];
  bad: BadRunFile[];
}

/** Every run of one or more history folders (missing folders are empty), oldest first. */
export function readHistory(dirs: readonly string[]): HistoryListing {
  const runs: RunRecord[] = [];
  const bad: BadRunFile[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(isRunFile)) {
      const parsed = readRunFile(join(dir, name));
      if (parsed.ok) runs.push(parsed.record);
      else bad.push({ file: parsed.file, problem: parsed.problem });
    }
  }
  runs.sort((a, b) => a.header.started_at.localeCompare(b.header.started_at) || a.header.id.localeCompare(b.header.id));
  return { runs, bad };
}
