// Host ranges in inventory keys, as Ansible expands them (expand_hostname_range):
// web[01:03] -> web01 web02 web03, db-[a:c] -> db-a db-b db-c, n[1:10:2] -> n1 n3 ... n9,
// several ranges in one name multiply. Ansible silently yields no hosts for some malformed ranges
// (begin > end); here every malformed range is an error.

import { InputError, type SourceLocation } from '../errors.js';
import { parseAddress } from './address.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const EXPECTED = 'expected [BEGIN:END] or [BEGIN:END:STEP] with numbers or single letters, e.g. web[01:03]';

export interface ExpandedHostKey {
  hosts: string[];
  /** From a `name:port` key: Ansible sets ansible_port on a host created by it. */
  port?: number;
}

/** Expands one `hosts:` key of an inventory group into host names (and its optional port). */
export function expandHostKey(key: string, location: SourceLocation): ExpandedHostKey {
  const parsed = parseAddress(key, true);
  const pattern = parsed?.host ?? key;
  const hosts = pattern.includes('[') ? expandRanges(pattern, key, location) : [pattern];
  return parsed?.port === undefined ? { hosts } : { hosts, port: parsed.port };
}

function expandRanges(name: string, key: string, location: SourceLocation): string[] {
  const fail = (why: string): never => {
    throw new InputError(`invalid host range in '${key}': ${why}`, location, EXPECTED);
  };
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  if (close < 0) fail(`'[' is not closed`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) fail('a range has two or three parts separated by ":"');
  const [begText = '', endText = '', stepText = '1'] = bounds;
  const beg = begText === '' ? '0' : begText;
  if (endText === '') fail('the range must specify an end value');
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) fail(`the step '${stepText}' must be a positive number`);
  const step = Number(stepText);

  let items: string[];
  const isLetter = (s: string) => s.length === 1 && LETTERS.includes(s);
  if (isLetter(beg) && isLetter(endText)) {
    const from = LETTERS.indexOf(beg);
    const to = LETTERS.indexOf(endText);
    if (from > to) fail(`'${beg}' comes after '${endText}'`);
    items = [];
    for (let i = from; i <= to; i += step) items.push(LETTERS[i] ?? '');
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(endText)) fail(`'${beg}:${endText}' is neither numeric nor a letter range`);
    // A leading zero fixes the width (web[01:10]); then both ends must be written with it.
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && endText.length !== width) fail('begin and end must have the same number of digits when zero-padded');
    const from = Number(beg);
    const to = Number(endText);
    if (from > to) fail(`the range begins after it ends (${from} > ${to})`);
    items = [];
    for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  }

  return items.flatMap((item) => {
    const host = head + item + tail;
    return host.includes('[') ? expandRanges(host, key, location) : [host];
  });
}
