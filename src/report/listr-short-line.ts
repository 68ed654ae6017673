// listr2 lays out each line of the tree with wrap-ansi, which measures every word (string-width),
// even for the common line that fits the terminal with room to spare. For a single line of plain
// characters (each one column wide) that fits, the layout is known without measuring: the icon, the
// text and the level's indentation, exactly what listr2's format() makes of it.

/** listr2's indentation per level (DefaultRenderer rendererOptions.indentation, left at its default). */
const INDENTATION = 2;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
/** Printable ASCII and Latin-1 in the text; listr2's icons and spinner glyphs: all one column wide. */
const ONE_COLUMN = /^[\x20-\x7e\u00a0-\u00ff\u2714\u2716\u276f\u2193\u2191\u203a\u25fc\u2800-\u28ff]*$/;

/** The lines listr2's format(message, icon, level) gives, or undefined when only listr2 can tell. */
export function layoutShortLine(message: string, icon: string, level: number, columns: number): string[] | undefined {
  if (message.trim() === '') return [];
  const text = icon ? `${icon} ${message}` : message;
  const visible = text.replace(ANSI, '');
  // What is left of an escape after the colours are removed, a tab, a wide character: listr2 decides.
  if (visible.length > columns - level * INDENTATION - 2 || !ONE_COLUMN.test(visible)) return undefined;
  return [' '.repeat(level * INDENTATION) + text.trimEnd()];
}
