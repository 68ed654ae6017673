// The host key policy: known -> accept; unknown -> refuse, or record with trust-on-first-use;
// changed or revoked -> always refuse. Reads and appends the known_hosts file.

import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { HostKeyError } from '../core/errors.js';
import type { ConnectionSettings } from './types.js';
import {
  blobKeyType,
  checkHostKey,
  fingerprintSha256,
  formatKnownHostsLine,
  knownHostsName,
  parseKnownHosts,
  type KnownHostEntry,
} from './known-hosts.js';

type Target = Pick<ConnectionSettings, 'host' | 'address' | 'port' | 'knownHostsFile' | 'trustOnFirstUse' | 'onHostKeyRecorded'>;

export function loadKnownHosts(file: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Returns undefined when the key is accepted (and recorded under TOFU), else the error to raise. */
export function decideHostKey(target: Target, key: Buffer, entries = loadKnownHosts(target.knownHostsFile)): HostKeyError | undefined {
  const { host, address, port, knownHostsFile: file } = target;
  const type = blobKeyType(key) ?? 'unknown key type';
  const shown = `${type} ${fingerprintSha256(key)}`;
  const where = `${address}:${port}`;
  const name = knownHostsName(address, port);
  const verdict = checkHostKey(entries, address, port, key);
  switch (verdict.status) {
    case 'known':
      return undefined;
    case 'revoked':
      return new HostKeyError(
        host,
        `the SSH host key of ${where} (${shown}) is marked @revoked in ${file} line ${verdict.entry.line}; refusing to connect`,
      );
    case 'changed': {
      const lines = verdict.known.map((e) => e.line).join(', ');
      return new HostKeyError(
        host,
        `the SSH host key of ${where} has CHANGED: it now presents ${shown}, which is not the key recorded in ` +
          `${file} (line ${lines}). Someone may be intercepting the connection, or the host was reinstalled. ` +
          `Refusing to connect (--trust-on-first-use never replaces a known key). If the change is expected, ` +
          `remove the old entry with: ssh-keygen -R '${name}' -f ${file}`,
      );
    }
    case 'unknown': {
      if (target.trustOnFirstUse) {
        record(file, formatKnownHostsLine(address, port, key));
        target.onHostKeyRecorded?.({ host, address, port, type, fingerprint: fingerprintSha256(key), file });
        return undefined;
      }
      const keyscanType = type.replace(/^ssh-/, '').replace(/^ecdsa-sha2-.*/, 'ecdsa');
      return new HostKeyError(
        host,
        `unknown SSH host key for ${where}: ${shown} is not in ${file}. Check the fingerprint, then either ` +
          `run again with --trust-on-first-use (records it in ${file}), or add it yourself: ` +
          `ssh-keyscan -p ${port} -t ${keyscanType} ${address} >> ${file}`,
      );
    }
  }
}

function record(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const current = readFileSync(file);
    if (current.length > 0 && current[current.length - 1] !== 0x0a) prefix = '\n';
  } catch {
    // New file.
  }
  // One append per line: concurrent hosts recording at once do not interleave.
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
}
