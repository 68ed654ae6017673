// POSIX-style word splitting (Python's shlex.split), for `command: ...` given as one string:
// Ansible's command module splits it into argv and runs it without a shell.

export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('no closing quotation');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        // Inside double quotes a backslash escapes only \ " $ ` and newline.
        if (text[i] === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1] as string)) i++;
        word += text[i];
        i++;
      }
      if (i >= text.length) throw new Error('no closing quotation');
      inWord = true;
      i++;
    } else if (ch === '\\') {
      if (i + 1 < text.length) word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}
