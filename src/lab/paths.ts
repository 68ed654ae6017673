// Where the lab's files are. The script ships in the package (vagrant/lab.sh); the state lives at
// fixed paths outside any clone, so that every clone and CI see the same lab (see docs/LAB.md).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAB_STATE_DIR = '/var/lib/provision/lab';
export const LAB_KEY_FILE = `${LAB_STATE_DIR}/id_vagrant`;
export const LAB_KNOWN_HOSTS_FILE = `${LAB_STATE_DIR}/known_hosts`;

export const LAB_HOSTS = {
  lb01: '192.168.56.10',
  web01: '192.168.56.11',
  web02: '192.168.56.12',
  lb02: '192.168.56.13',
  mon01: '192.168.56.14',
} as const;
export type LabHostName = keyof typeof LAB_HOSTS;

/**
 * The package root: the nearest directory above `from` holding package.json. Walking up works both
 * from src/lab/ (tests, tsx) and from the esbuild bundle in dist/.
 */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function labScriptPath(root: string | undefined = findPackageRoot()): string | undefined {
  if (root === undefined) return undefined;
  const script = join(root, 'vagrant', 'lab.sh');
  return existsSync(script) ? script : undefined;
}
