// The short-line layout must be exactly what listr2's own format() gives for the same line.
import { DefaultRenderer, ListrEventManager } from 'listr2';
import { describe, expect, test } from 'vitest';
import { layoutShortLine } from '../../../src/report/listr-short-line.js';
import { palette } from '../../../src/report/colors.js';

/** listr2's format(), reached from a subclass, with the wrap function its render() would load. */
class ListrLayout extends DefaultRenderer {
  constructor() {
    super([], {}, new ListrEventManager());
  }
  async ready(): Promise<void> {
    Reflect.set(this, 'wrap', (await import('wrap-ansi')).default);
  }
  layout(message: string, icon: string, level: number): string[] {
    return this.format(message, icon, level);
  }
}

const c = palette(true);
const lines = [
  'web01',
  'role nginx : install the packages  changed=1 ok=4  1.20s',
  `${c.bold('PLAY [web servers]')} ${c.dim('3.2s')}`,
  `install  ${c.yellow('changed=2')} ${c.green('ok=3')}  ${c.dim('120ms')}`,
  'ends with spaces   ',
  '  starts with spaces',
  'café crème, 5 €',
  'x'.repeat(200),
  'wide 漢字 characters',
  'tab\there',
  '   ',
  '',
];
const icons = ['', '✔', c.green('✔'), c.red('✖'), c.yellow('❯'), '⠋', c.yellow('⠼'), '↓', '›', '⚠'];

describe('layoutShortLine', () => {
  test('gives what listr2 gives, or leaves the line to listr2', async () => {
    const listr = new ListrLayout();
    await listr.ready();
    const columns = process.stdout.columns ?? 80;
    let decided = 0;
    for (const message of lines) {
      for (const icon of icons) {
        for (const level of [0, 1, 2, 5]) {
          const ours = layoutShortLine(message, icon, level, columns);
          if (ours === undefined) continue;
          decided++;
          expect(ours, JSON.stringify({ message, icon, level })).toEqual(listr.layout(message, icon, level));
        }
      }
    }
    // Most lines of a tree are decided without listr2.
    expect(decided).toBeGreaterThan(lines.length * icons.length * 2);
  });

  test('long, wide and multi-line text is left to listr2', () => {
    expect(layoutShortLine('x'.repeat(200), '✔', 0, 80)).toBeUndefined();
    expect(layoutShortLine('wide 漢字', '✔', 0, 80)).toBeUndefined();
    expect(layoutShortLine('two\nlines', '✔', 0, 80)).toBeUndefined();
    expect(layoutShortLine('warned', '⚠', 0, 80)).toBeUndefined();
  });
});
