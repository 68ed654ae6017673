// Draws the live tree's frames on a terminal: the frame's last rows only (a terminal cannot show
// more, and what scrolled off is printed in full when the tree ends), nothing when the visible text
// did not change, and one short erase sequence per frame. It replaces log-update, which on every
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
  /** Rows of the frame on the screen, counting the row the cursor waits on below it (0: none). */
  let onScreen = 0;
  let previous: string | undefined;
  let previousColumns = 0;
  return {
    draw(text) {
      const rows = target.rows && target.rows > 1 ? target.rows : 24;
      const columns = target.columns && target.columns > 0 ? target.columns : 80;
      const all = text.split('\n');
      // One row stays for the cursor below the frame.
      const lines = all.length > rows - 1 ? all.slice(all.length - (rows - 1)) : all;
      const frame = lines.join('\n');
      if (frame === previous && columns === previousColumns) return;
      previous = frame;
      previousColumns = columns;
      target.write((onScreen > 0 ? eraseFrame(onScreen) : '') + frame + '\n');
      onScreen = 1;
      for (const line of lines) onScreen += rowsOf(line, columns);
    },
    clear() {
      if (onScreen > 0) target.write(eraseFrame(onScreen));
      onScreen = 0;
      previous = undefined;
    },
  };
}
