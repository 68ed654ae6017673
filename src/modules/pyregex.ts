// Ansible users write Python regular expressions; the common differences with JavaScript's are
// named groups: (?P<name>...) and (?P=name) become (?<name>...) and \k<name>.

export function pyRegExp(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

/** Python's match.expand(): \1 .. \99, \g<1>, \g<name> in a template. */
export function expandMatch(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(\d{1,2})|\\g<(\w+)>/g, (_, num: string | undefined, ref: string | undefined) => {
    const key = num ?? ref ?? '';
    const value = /^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key];
    return value ?? '';
  });
}

export function isValidPyRegExp(source: string): boolean {
  try {
    pyRegExp(source);
    return true;
  } catch {
    return false;
  }
}
