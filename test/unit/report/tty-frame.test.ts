import { describe, expect, test } from 'vitest';
import { createFrameWriter } from '../../../src/report/tty-frame.js';

/** A small terminal: lines of text, a cursor, and the escapes the frame writer may send (A, G, J, K). */
class Screen {
  readonly lines: string[] = [''];
  row = 0;
  col = 0;
  written = '';
  constructor(readonly rows: number, readonly columns: number) {}
  write(text: string): void {
    this.written += text;
    for (let i = 0; i < text.length; i++) {
      const esc = /^\u001b\[(\d*)([A-Za-z])/.exec(text.slice(i));
      if (esc) {
        const n = Number(esc[1] || '1');
        if (esc[2] === 'A') this.row = Math.max(0, this.row - n);
        else if (esc[2] === 'G') this.col = 0;
        else if (esc[2] === 'J') {
          this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
          this.lines.length = this.row + 1;
        } else if (esc[2] === 'K') this.lines[this.row] = '';
        else throw new Error(`unexpected escape ${esc[0]}`);
        i += esc[0].length - 1;
      } else if (text[i] === '\n') {
        this.row++;
        this.col = 0;
        if (this.row === this.lines.length) this.lines.push('');
      } else {
        const line = this.lines[this.row]!.padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + text[i] + line.slice(this.col + 1);
        this.col++;
      }
    }
  }
  /** What a person sees: the last `rows` lines. */
  visible(): string[] {
    return this.lines.slice(-this.rows);
  }
}

const frame = (n: number, tag = '') => Array.from({ length: n }, (_, i) => `line ${i}${tag}`).join('\n');

describe('frame writer', () => {
  test('each frame replaces the previous one on the screen, shrinking or growing', () => {
    const screen = new Screen(45, 140);
    const w = createFrameWriter(screen);
    for (const text of [frame(3), frame(5, ' b'), frame(2, ' b'), 'one line', frame(4, ' c')]) {
      w.draw(text);
      expect(screen.lines).toEqual([...text.split('\n'), '']);
    }
    w.clear();
    expect(screen.lines).toEqual(['']);
  });

  test('a tree taller than the terminal shows its last rows-1 lines, the cursor on the last row', () => {
    const screen = new Screen(10, 80);
    const w = createFrameWriter(screen);
    w.draw(frame(30));
    expect(screen.lines).toEqual([...frame(30).split('\n').slice(-9), '']);
    w.draw(frame(31));
    expect(screen.lines).toEqual([...frame(31).split('\n').slice(-9), '']);
  });

  test('writes nothing for an unchanged frame, and only from the first changed line down', () => {
    const screen = new Screen(45, 140);
    const w = createFrameWriter(screen);
    w.draw(frame(20));
    const before = screen.written.length;
    w.draw(frame(20));
    expect(screen.written.length).toBe(before);
    w.draw(frame(20).replace('line 19', 'line 19 done'));
    const sent = screen.written.slice(before);
    expect(sent).toContain('line 19 done');
    expect(sent).not.toContain('line 18');
    expect(screen.lines.at(-2)).toBe('line 19 done');
    expect(screen.lines).toHaveLength(21);
  });
});
