// Syntax check of a `.ejs` template file, with the template's own line: ejs compiles the generated
// JavaScript with `new Function`, whose SyntaxError carries no line at all. Here the generated source
// (which marks each template line with `__line = N`) is compiled with node:vm, whose error does say
// which line of that source failed, and that line is mapped back to the template's.

import ejs from 'ejs';
import { Script } from 'node:vm';
import { TemplateError } from './errors.js';

const SOURCE_NAME = 'provision-ejs-source';
const LINE_MARK = /__line = (\d+)/;

interface GeneratedTemplate {
  source: string;
  generateSource(): void;
}
type TemplateConstructor = new (text: string, options: object) => GeneratedTemplate;

/**
 * Compiles the generated statements as a top-level script, where a `}` too many fails at once, on its
 * own line (inside a wrapper function it would silently close the wrapper); `return` is only legal in
 * a function, so a template using it is compiled inside one. Returns the error and its 0-based line
 * in `source`, or undefined.
 */
function compileError(source: string): { error: SyntaxError; line: number } | undefined {
  for (const [prefix, offset] of [['', 0], ['(function () {\n', 1]] as const) {
    try {
      new Script(`${prefix}${source}${prefix ? '\n})' : ''}`, { filename: SOURCE_NAME });
      return undefined;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      if (!prefix && /Illegal return/.test(err.message)) continue;
      const where = new RegExp(`^${SOURCE_NAME}:(\\d+)`).exec(err.stack ?? '');
      return { error: err, line: where ? Number(where[1]) - 1 - offset : source.split('\n').length };
    }
  }
  return undefined;
}

/** The template line of the generated source's 0-based line `index`: the nearest `__line = N` above. */
function templateLine(sourceLines: readonly string[], index: number): number {
  for (let i = Math.min(index, sourceLines.length - 1); i >= 0; i--) {
    const mark = LINE_MARK.exec(sourceLines[i] ?? '');
    if (mark) return Number(mark[1]);
  }
  return 1;
}

/** For a block left open: the template line after the last point where everything before it compiles. */
function openedAtLine(sourceLines: readonly string[]): number {
  let line = 1;
  sourceLines.forEach((text, i) => {
    const mark = LINE_MARK.exec(text);
    if (mark && !compileError(sourceLines.slice(0, i).join('\n'))) line = Number(mark[1]);
  });
  return line;
}

/** The line of the last `<%` that no `%>` closes (ejs's own parse error names no line). */
function unclosedTagLine(text: string): number {
  const open = text.lastIndexOf('<%');
  const at = open >= 0 && text.indexOf('%>', open) < 0 ? open : text.length;
  return text.slice(0, at).split('\n').length;
}

/** The syntax error of an EJS template text, located in `file`, or undefined when it compiles. */
export function templateSyntaxError(text: string, file: string): TemplateError | undefined {
  const Template = (ejs as unknown as { Template: TemplateConstructor }).Template;
  let source: string;
  try {
    const template = new Template(text, { compileDebug: true, _with: true, strict: false, filename: file });
    template.generateSource();
    source = template.source;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return new TemplateError('syntax', `invalid template: ${message}`, { file, line: unclosedTagLine(text), col: 1 });
  }
  const failure = compileError(source);
  if (!failure) return undefined;
  const sourceLines = source.split('\n');
  const leftOpen = /end of input/.test(failure.error.message);
  const line = leftOpen ? openedAtLine(sourceLines) : templateLine(sourceLines, failure.line);
  const hint = leftOpen ? "a '{', '(' or '[' opened in a <% %> tag here is never closed" : undefined;
  return new TemplateError('syntax', `invalid template: ${failure.error.message}`, { file, line, col: 1 }, hint);
}
