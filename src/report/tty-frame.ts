// Draws the live tree's frames on a terminal: the frame's last rows only (a terminal cannot show
// more, and what scrolled off is printed in full when the tree ends), from its first changed line
// down (nothing when no line changed), after one short erase sequence. It replaces log-update, which on every
// frame measured the whole tree's text character by character (slice-ansi, wrap-ansi), most of the
// live tree's CPU on a long play.

const CSI = '\u001b[';
/** Up to the frame's first line, erase to the end of the screen, back to column 1. */
const eraseFrame = (lines: number): string => (lines > 1 ? `${CSI}${lines - 1}A` : '') + `${CSI}J${CSI}G`;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export interface FrameTarget {
  write(text: string): unknown;
  readonly rows?: number;
  readonly columns?: number;
}

export interface FrameWriter {
  /** Shows `text` (lines separated by \n) in place of the previous frame. */
  draw(text: string): void;
  /** Erases the frame on the screen: the caller writes what stays after it. */
  clear(): void;
}

/** Terminal rows a line takes: listr2 wraps lines to the width already, so this is 1 but for a corner case. */
function rowsOf(line: string, columns: number): number {
  if (line.length <= columns) return 1;
  const visible = line.replace(ANSI, '').length;
  return Math.max(1, Math.ceil(visible / columns));
}

export function createFrameWriter(target: FrameTarget): FrameWriter {
  /** The lines on the screen, and the terminal rows each takes; the cursor waits on the row below. */
  let shown: string[] = [];
  let shownRows: number[] = [];
  let shownColumns = 0;
  return {
    draw(text) {
      const rows = target.rows && target.rows > 1 ? target.rows : 24;
      const columns = target.columns && target.columns > 0 ? target.columns : 80;
      const all = text.split('\n');
      // One row stays for the cursor below the frame.
      const lines = all.length > rows - 1 ? all.slice(all.length - (rows - 1)) : all;
      // Lines above the first changed one stay as they are on the screen (a new width redraws all).
      let same = 0;
      if (columns === shownColumns) while (same < lines.length && same < shown.length && lines[same] === shown[same]) same++;
      if (same === lines.length && same === shown.length) return;
      const below = shownRows.slice(same).reduce((sum, n) => sum + n, 0);
      target.write((shown.length > 0 ? eraseFrame(below + 1) : '') + lines.slice(same).map((line) => line + '\n').join(''));
      shown = lines;
      shownRows = lines.map((line) => rowsOf(line, columns));
      shownColumns = columns;
    },
    clear() {
      if (shown.length > 0) target.write(eraseFrame(shownRows.reduce((sum, n) => sum + n, 0) + 1));
      shown = [];
      shownRows = [];
    },
  };
}
