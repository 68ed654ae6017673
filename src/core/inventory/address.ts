// Ansible's parse_address (ansible/parsing/utils/addresses.py): is a string a host (with optional
// [x:y] ranges) and an optional :port? Used to read `web01:2222` inventory keys and to decide
// whether a host pattern may be split on ':'.

const numericRange = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const hexRange = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const alnumRange = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;

const i4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${numericRange})`;
const i6 = String.raw`(?:[0-9a-f]{1,4}|${hexRange})`;
// Python's \w is Unicode-aware; \p{L}\p{N}_ is the closest JS spelling.
const word = String.raw`[\p{L}\p{N}_]`;
const label = String.raw`(?:${word}|${alnumRange})(?:${word}|-|${alnumRange})*(?<![_-])`;

const bracketedHostPort = /^\[(.+)\]:([0-9]+)$/;
const hostPort = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const ipv4 = new RegExp(String.raw`^(?:${i4}\.){3}${i4}$`, 'i');
const ipv6 = new RegExp(
  '^(?:' +
    [
      String.raw`(?:${i6}:){7}${i6}`,
      String.raw`(?:${i6}:){1,6}:`,
      String.raw`(?:${i6}:)(?::${i6}){1,6}`,
      String.raw`(?:${i6}:){2}(?::${i6}){1,5}`,
      String.raw`(?:${i6}:){3}(?::${i6}){1,4}`,
      String.raw`(?:${i6}:){4}(?::${i6}){1,3}`,
      String.raw`(?:${i6}:){5}(?::${i6}){1,2}`,
      String.raw`(?:${i6}:){6}(?::${i6})`,
      String.raw`:(?::${i6}){1,6}`,
      String.raw`${i6}?::`,
      String.raw`(?:0:){6}(?:${i6}\.){3}${i6}`,
      String.raw`::(?:ffff:)?(?:${i6}\.){3}${i6}`,
      String.raw`(?:0:){5}ffff:(?:${i6}\.){3}${i6}`,
    ].join('|') +
    ')$',
  'i',
);
const hostname = new RegExp(String.raw`^${label}(?:\.${label})*$`, 'iu');

export interface ParsedAddress {
  host: string;
  port?: number;
}

/** The host and port of `address`, or undefined when it is not a host identifier (Ansible's parse_address). */
export function parseAddress(address: string, allowRanges: boolean): ParsedAddress | undefined {
  let host = address;
  let port: number | undefined;
  for (const re of [bracketedHostPort, hostPort]) {
    const m = re.exec(host);
    if (m) {
      host = m[1] ?? '';
      port = Number(m[2]);
    }
  }
  if (!ipv4.test(host) && !ipv6.test(host) && !hostname.test(host)) return undefined;
  if (!allowRanges && host.includes('[')) return undefined;
  return port === undefined ? { host } : { host, port };
}
