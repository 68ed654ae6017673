// OpenSSH known_hosts parsing and matching (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). Pure: no I/O, so
// the host key policy can be unit-tested line by line.

import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface KnownHostEntry {
  /** 1-based line number in the file, for messages. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: comma-separated patterns, or a hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** Parses a known_hosts file; comments, blank and malformed lines are skipped (as ssh does). */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) return;
    const key = Buffer.from(keyBase64, 'base64');
    // The blob starts with its own type name: a mismatch means a corrupt line.
    if (blobKeyType(key) !== keyType) return;
    entries.push({ line: index + 1, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return entries;
}

/** The name ssh looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** OpenSSH glob: `*` any run, `?` one character; case-insensitive like hostnames. */
function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return false;
  const salt = Buffer.from(parts[2], 'base64');
  const digest = createHmac('sha1', salt).update(name).digest('base64');
  return digest === parts[3];
}

/** Does this entry's host field name `address` on `port`? Negated patterns (`!pat`) veto the line. */
export function entryMatchesHost(entry: Pick<KnownHostEntry, 'hosts'>, address: string, port: number): boolean {
  const name = knownHostsName(address, port);
  if (entry.hosts.startsWith('|1|')) return hashedMatch(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (globMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export type HostKeyStatus =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  /** The host is known with other key(s) and the one presented is not among them. */
  | { status: 'changed'; known: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry };

/**
 * Decides what the presented key means for this host. Being stricter than ssh on purpose: a host known
 * under any key type that presents a key not listed is "changed" (ssh would sometimes ask), and a
 * revoked key is refused whatever host line it sits on.
 */
export function checkHostKey(entries: KnownHostEntry[], address: string, port: number, key: Buffer): HostKeyStatus {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, address, port));
  const same = forHost.find((e) => e.key.equals(key));
  if (same) return { status: 'known', entry: same };
  return forHost.length > 0 ? { status: 'changed', known: forHost } : { status: 'unknown' };
}

/** The key type name at the start of an SSH public key blob (`ssh-ed25519`, ...), or undefined. */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's default fingerprint format: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A line to append for a trusted key; `hashed` writes the name as `|1|salt|hmac` like HashKnownHosts. */
export function formatKnownHostsLine(address: string, port: number, blob: Buffer, hashed = false): string {
  const name = knownHostsName(address, port);
  const type = blobKeyType(blob) ?? 'unknown';
  let field = name;
  if (hashed) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${field} ${type} ${blob.toString('base64')}`;
}

/** Signature algorithms that can present a key of this known_hosts type. */
function algorithmsForKeyType(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type];
}

/**
 * Host key algorithms to offer, with the types already known for this host first, so that a host known
 * by its RSA key is not reported unknown because the server also has an ed25519 key (ssh does the same).
 */
export function preferredHostKeyAlgorithms(
  entries: KnownHostEntry[],
  address: string,
  port: number,
  defaults: readonly string[],
): string[] {
  const known = entries
    .filter((e) => e.marker === undefined && entryMatchesHost(e, address, port))
    .flatMap((e) => algorithmsForKeyType(e.keyType))
    .filter((a) => defaults.includes(a));
  return [...new Set([...known, ...defaults])];
}
