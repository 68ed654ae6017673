// `key=value` text, read one way wherever it is written: a task's inline module arguments
// (`apt: name=nginx state=present`), the options inside a free-form command (`chdir=/tmp ls`) and
// `-e key=value` on the command line. As Ansible's split_args + parse_kv: the text is split into words
// like a shell would (quotes, backslashes, and `<% %>` blocks keep blanks inside a word), then each word
// that starts with `name=` is a pair.

export interface KeyValue {
  key: string;
  /** The value without its quotes when the whole value was quoted. */
  value: string;
  /** The value was written in quotes (so it is text, never a number or boolean). */
  quoted: boolean;
}

export interface KeyValueScan {
  pairs: KeyValue[];
  /** The text without the pairs taken, otherwise as written (words not taken, and an unclosed tail). */
  rest: string;
  /** False when a quote is never closed (the unclosed part is left in `rest`). */
  balanced: boolean;
}

// One piece of a word: a template block, a quoted string, an escaped character, or plain characters.
const WORD_PART = /<%[\s\S]*?%>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\\[\s\S]|[^\s"'\\<]+|</y;
const PAIR = /^([A-Za-z_][\w-]*)=([\s\S]*)$/;
const DOUBLE_QUOTED = /^"((?:[^"\\]|\\.)*)"$/s;
const SINGLE_QUOTED = /^'((?:[^'\\]|\\.)*)'$/s;

interface Word {
  start: number;
  end: number;
}

function splitWords(text: string): { words: Word[]; unclosedAt?: number } {
  const words: Word[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) return { words };
    const start = i;
    while (i < text.length && !/\s/.test(text[i] as string)) {
      WORD_PART.lastIndex = i;
      const part = WORD_PART.exec(text);
      if (!part) return { words, unclosedAt: start };
      i += part[0].length;
    }
    words.push({ start, end: i });
  }
}

function unquote(raw: string): { value: string; quoted: boolean } {
  const d = DOUBLE_QUOTED.exec(raw);
  if (d) return { value: (d[1] as string).replace(/\\(["\\])/g, '$1'), quoted: true };
  const s = SINGLE_QUOTED.exec(raw);
  if (s) return { value: (s[1] as string).replace(/\\(['\\])/g, '$1'), quoted: true };
  return { value: raw, quoted: false };
}

/** The pairs in `text` whose key `take` accepts (all by default), and what remains. */
export function scanKeyValues(text: string, take: (key: string) => boolean = () => true): KeyValueScan {
  const { words, unclosedAt } = splitWords(text);
  const pairs: KeyValue[] = [];
  let rest = '';
  let from = 0;
  for (const word of words) {
    const m = PAIR.exec(text.slice(word.start, word.end));
    if (!m || !take(m[1] as string)) continue;
    pairs.push({ key: m[1] as string, ...unquote(m[2] as string) });
    // Cut the pair with the blanks before it, so that `ls chdir=/x -l` leaves `ls -l`.
    rest += text.slice(from, word.start).replace(/\s+$/, '');
    from = word.end;
  }
  rest += text.slice(from);
  return { pairs, rest: rest.trim(), balanced: unclosedAt === undefined };
}
