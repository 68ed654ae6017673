// How wide `--help` is: HELP_WIDTH columns, or the terminal's width when it is narrower. Kept apart
// from the commands so that entry.ts can decide whether the help printed at build time fits.

export const HELP_WIDTH = 80;

/** The width help is wrapped to on this stdout: narrower only on a terminal narrower than HELP_WIDTH. */
export function helpWidthFor(stdout: { isTTY?: boolean; columns?: number }): number {
  return stdout.isTTY && stdout.columns && stdout.columns < HELP_WIDTH ? stdout.columns : HELP_WIDTH;
}
