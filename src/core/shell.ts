// Every value that goes into a remote shell command passes through quote().

const SAFE = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

export function quote(value: string | number): string {
  const s = String(value);
  if (s === '') return "''";
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function quoteAll(values: readonly (string | number)[]): string {
  return values.map(quote).join(' ');
}
