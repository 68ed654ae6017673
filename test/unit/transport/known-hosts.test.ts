import { describe, expect, it } from 'vitest';
import {
  blobKeyType,
  checkHostKey,
  entryMatchesHost,
  fingerprintSha256,
  formatKnownHostsLine,
  knownHostsName,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
} from '../../../src/transport/known-hosts.js';

// Vectors made with OpenSSH 9.2: `ssh-keygen -t ...`, `ssh-keygen -lf`, and `ssh-keygen -H` of a file
// holding `example.com KEY` and `[example.com]:2222 KEY`.
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIPasu9PGJ/C2Ty+BhQyap8pf0QQi6Os3Naz6a96rqMRW';
const ED_FP = 'SHA256:hh8MOHFw3N9fcaSpgDVmE6MHrjRtrCyCvLeXW1Auyck';
const EC =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIGhXeh0ErGKfp2D5It2NpPTCV1IdSf1vxA3lTlCD2wnzspAUf3Ruavjg4ztQoshJB7iRyMp4wqQ2rpjlpr7hhc=';
const EC_FP = 'SHA256:IVN/Kf82GWJaa9nvsvqKrUE7lUk4ufQq84U1p0Lm0tk';
const HASHED_22 = '|1|8S6ySFKr9bPx57tYwoaZcdu119M=|1iBr5Qig2JUMtdCL8KqfOgFNOmg=';
const HASHED_2222 = '|1|P3oArYPofgCrmh3lCjVimMabWoQ=|sAdZCYZlIk4/SOeI/5CEpRFguJI=';
const edKey = Buffer.from(ED, 'base64');
const ecKey = Buffer.from(EC, 'base64');

describe('parseKnownHosts', () => {
  it('reads plain, marked and hashed lines and skips comments and garbage', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `web01,192.168.56.11 ssh-ed25519 ${ED} comment here`,
        `@revoked * ecdsa-sha2-nistp256 ${EC}`,
        `@cert-authority *.example.com ssh-ed25519 ${ED}`,
        `${HASHED_22} ssh-ed25519 ${ED}`,
        'broken line',
        `typo ssh-rsa ${ED}`, // blob says ed25519: corrupt
        `@unknown host ssh-ed25519 ${ED}`,
      ].join('\n'),
    );
    expect(entries.map((e) => [e.line, e.marker, e.hosts, e.keyType])).toEqual([
      [3, undefined, 'web01,192.168.56.11', 'ssh-ed25519'],
      [4, 'revoked', '*', 'ecdsa-sha2-nistp256'],
      [5, 'cert-authority', '*.example.com', 'ssh-ed25519'],
      [6, undefined, HASHED_22, 'ssh-ed25519'],
    ]);
    expect(entries[0]?.key.equals(edKey)).toBe(true);
  });
});

describe('host matching', () => {
  it('uses [host]:port for non-default ports', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
    expect(entryMatchesHost({ hosts: '10.0.0.1' }, '10.0.0.1', 2222)).toBe(false);
    expect(entryMatchesHost({ hosts: '[10.0.0.1]:2222' }, '10.0.0.1', 2222)).toBe(true);
    expect(entryMatchesHost({ hosts: '[10.0.0.1]:2222' }, '10.0.0.1', 22)).toBe(false);
  });

  it('supports lists, wildcards and negation', () => {
    expect(entryMatchesHost({ hosts: 'a,web0?.example.com' }, 'web01.example.com', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: '*.example.com' }, 'WEB01.Example.com', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: '*.example.com,!db.example.com' }, 'db.example.com', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: 'web0?' }, 'web10', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: '192.168.56.*' }, '192.168.56.11', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: '192.168.56.1' }, '192.168.56.11', 22)).toBe(false);
  });

  it('matches hashed names written by ssh-keygen -H', () => {
    expect(entryMatchesHost({ hosts: HASHED_22 }, 'example.com', 22)).toBe(true);
    expect(entryMatchesHost({ hosts: HASHED_22 }, 'example.org', 22)).toBe(false);
    expect(entryMatchesHost({ hosts: HASHED_22 }, 'example.com', 2222)).toBe(false);
    expect(entryMatchesHost({ hosts: HASHED_2222 }, 'example.com', 2222)).toBe(true);
  });

  it('hashes its own lines in the same format', () => {
    const line = formatKnownHostsLine('example.com', 2222, edKey, true);
    const [entry] = parseKnownHosts(line);
    expect(entry?.hosts.startsWith('|1|')).toBe(true);
    expect(entryMatchesHost(entry!, 'example.com', 2222)).toBe(true);
    expect(entryMatchesHost(entry!, 'example.com', 22)).toBe(false);
    expect(formatKnownHostsLine('h', 22, edKey)).toBe(`h ssh-ed25519 ${ED}`);
  });
});

describe('checkHostKey', () => {
  const file = parseKnownHosts(
    [
      `web01 ssh-ed25519 ${ED}`,
      `[web02]:2222 ecdsa-sha2-nistp256 ${EC}`,
      `${HASHED_22} ssh-ed25519 ${ED}`,
    ].join('\n'),
  );

  it('accepts the recorded key, plain or hashed', () => {
    expect(checkHostKey(file, 'web01', 22, edKey)).toMatchObject({ status: 'known', entry: { line: 1 } });
    expect(checkHostKey(file, 'web02', 2222, ecKey)).toMatchObject({ status: 'known', entry: { line: 2 } });
    expect(checkHostKey(file, 'example.com', 22, edKey)).toMatchObject({ status: 'known', entry: { line: 3 } });
  });

  it('reports unknown hosts and changed keys', () => {
    expect(checkHostKey(file, 'web03', 22, edKey).status).toBe('unknown');
    expect(checkHostKey(file, 'web02', 22, ecKey).status).toBe('unknown');
    const changed = checkHostKey(file, 'web01', 22, ecKey);
    expect(changed.status).toBe('changed');
    expect(changed.status === 'changed' && changed.known.map((e) => e.line)).toEqual([1]);
    expect(checkHostKey(file, 'example.com', 22, ecKey).status).toBe('changed');
  });

  it('refuses revoked keys even when the host lists them', () => {
    const withRevoked = parseKnownHosts(`web01 ssh-ed25519 ${ED}\n@revoked * ssh-ed25519 ${ED}`);
    expect(checkHostKey(withRevoked, 'web01', 22, edKey).status).toBe('revoked');
  });
});

describe('key helpers', () => {
  it('computes OpenSSH SHA256 fingerprints', () => {
    expect(fingerprintSha256(edKey)).toBe(ED_FP);
    expect(fingerprintSha256(ecKey)).toBe(EC_FP);
  });

  it('reads the key type from a blob', () => {
    expect(blobKeyType(edKey)).toBe('ssh-ed25519');
    expect(blobKeyType(ecKey)).toBe('ecdsa-sha2-nistp256');
    expect(blobKeyType(Buffer.from([0, 0]))).toBeUndefined();
  });

  it('offers the algorithms of known keys first', () => {
    const defaults = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    const entries = parseKnownHosts(`web02 ecdsa-sha2-nistp256 ${EC}`);
    expect(preferredHostKeyAlgorithms(entries, 'web02', 22, defaults)).toEqual([
      'ecdsa-sha2-nistp256',
      'ssh-ed25519',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(preferredHostKeyAlgorithms(entries, 'other', 22, defaults)).toEqual(defaults);
  });
});
