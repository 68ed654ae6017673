// Every human or JSON line goes through one writer, so masking can never be skipped.

import { createMasker } from './mask.js';

export interface LineWriter {
  line(text: string): void;
  lines(texts: readonly string[]): void;
  /** Resolve once everything written so far has been handed to the stream. */
  flush(): Promise<void>;
}

export function createLineWriter(stream: NodeJS.WritableStream, secrets: readonly string[] | undefined): LineWriter {
  const mask = createMasker(secrets);
  const line = (text: string): void => {
    stream.write(mask(text) + '\n');
  };
  return {
    line,
    lines: (texts) => texts.forEach(line),
    flush: () => new Promise<void>((resolve) => stream.write('', () => resolve())),
  };
}
