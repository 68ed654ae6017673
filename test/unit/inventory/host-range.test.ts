// Host ranges in inventory keys, as Ansible expands them.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { expandHostKey } from '../../../src/core/inventory/host-range.js';

const at = { file: 'hosts.yaml', line: 3, col: 5 };
const hosts = (key: string) => expandHostKey(key, at).hosts;

describe('expandHostKey', () => {
  it.each([
    ['web01', ['web01']],
    ['web[01:03]', ['web01', 'web02', 'web03']],
    ['web[1:3]', ['web1', 'web2', 'web3']],
    ['web[8:11]', ['web8', 'web9', 'web10', 'web11']],
    ['web[08:11]', ['web08', 'web09', 'web10', 'web11']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['n[1:10:3]', ['n1', 'n4', 'n7', 'n10']],
    ['n[a:e:2]', ['na', 'nc', 'ne']],
    ['n[:2]', ['n0', 'n1', 'n2']],
    ['rack[1:2]-node[a:b].dc', ['rack1-nodea.dc', 'rack1-nodeb.dc', 'rack2-nodea.dc', 'rack2-nodeb.dc']],
    ['192.0.2.[1:3]', ['192.0.2.1', '192.0.2.2', '192.0.2.3']],
  ])('%s', (key, expected) => {
    expect(hosts(key)).toEqual(expected);
  });

  it('reads a port after the name, also after a range', () => {
    expect(expandHostKey('web01:2222', at)).toEqual({ hosts: ['web01'], port: 2222 });
    expect(expandHostKey('web[1:2]:22', at)).toEqual({ hosts: ['web1', 'web2'], port: 22 });
    expect(expandHostKey('[2001:db8::1]:2200', at)).toEqual({ hosts: ['2001:db8::1'], port: 2200 });
    expect(expandHostKey('2001:db8::1', at)).toEqual({ hosts: ['2001:db8::1'] });
  });

  it.each([
    ['web[1:]', /must specify an end value/],
    ['web[1:3', /'\[' is not closed/],
    ['web[1]', /two or three parts/],
    ['web[1:2:3:4]', /two or three parts/],
    ['web[01:3]', /same number of digits/],
    ['web[3:1]', /begins after it ends/],
    ['web[c:a]', /'c' comes after 'a'/],
    ['web[Y:b]', /'Y' comes after 'b'/],
    ['web[1:x]', /neither numeric nor a letter range/],
    ['web[1:5:0]', /step '0' must be a positive number/],
  ])('refuses %s with file:line:col and what was expected', (key, why) => {
    let error: unknown;
    try {
      hosts(key);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toMatch(why);
    expect(message.startsWith(`hosts.yaml:3:5: invalid host range in '${key}'`)).toBe(true);
    expect(message).toContain('expected [BEGIN:END] or [BEGIN:END:STEP]');
  });
});
