// A tiny ANSI palette: the human reporters colour like Ansible (ok green, changed yellow, failed
// red, skipped cyan) without pulling a colour library into the CLI's start-up path.

import type { TaskStatus } from '../engine/events.js';

export type Colorize = (text: string) => string;

export interface Palette {
  green: Colorize;
  yellow: Colorize;
  red: Colorize;
  cyan: Colorize;
  magenta: Colorize;
  bold: Colorize;
  dim: Colorize;
}

const code =
  (open: number, close: number): Colorize =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const identity: Colorize = (text) => text;

export function palette(color: boolean): Palette {
  if (!color) {
    return { green: identity, yellow: identity, red: identity, cyan: identity, magenta: identity, bold: identity, dim: identity };
  }
  return {
    green: code(32, 39),
    yellow: code(33, 39),
    red: code(31, 39),
    cyan: code(36, 39),
    magenta: code(35, 39),
    bold: code(1, 22),
    dim: code(2, 22),
  };
}

export function statusColor(p: Palette, status: TaskStatus): Colorize {
  switch (status) {
    case 'ok':
      return p.green;
    case 'changed':
      return p.yellow;
    case 'skipped':
      return p.cyan;
    case 'failed':
    case 'unreachable':
      return p.red;
  }
}
