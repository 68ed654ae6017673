// Every human line goes through one writer (flushable, one newline each).

export interface LineWriter {
  line(text: string): void;
  lines(texts: readonly string[]): void;
  /** Resolve once everything written so far has been handed to the stream. */
  flush(): Promise<void>;
}

export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  const line = (text: string): void => {
    stream.write(text + '\n');
  };
  return {
    line,
    lines: (texts) => texts.forEach(line),
    flush: () => new Promise<void>((resolve) => stream.write('', () => resolve())),
  };
}
