// The ufw probe reads ufw's files with bash builtins instead of grep: run it (and the grep line it
// replaced) on copies of real files taken from the lab guests (test/fixtures/ufw-files/HOST/, read with
// `sudo cat` from lb01, web02 and mon01), moved under a temporary root, and compare what they print.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUfwState, ufwState } from '../../../src/facts/ufw.js';

const fixtures = fileURLToPath(new URL('../../fixtures/ufw-files/', import.meta.url));
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A root with etc/ufw and etc/default/ufw from a lab host's copies (or none of them). */
function rootFrom(host: string | undefined, edit?: (etc: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'ufw-probe-'));
  roots.push(root);
  const etc = join(root, 'etc');
  mkdirSync(join(etc, 'ufw'), { recursive: true });
  mkdirSync(join(etc, 'default'), { recursive: true });
  if (host) {
    for (const name of ['ufw.conf', 'user.rules', 'user6.rules']) cpSync(join(fixtures, host, `ufw_${name}`), join(etc, 'ufw', name));
    cpSync(join(fixtures, host, 'default_ufw'), join(etc, 'default', 'ufw'));
  }
  edit?.(etc);
  return root;
}

const inRoot = (command: string, root: string): string => command.replaceAll('/etc/', `${root}/etc/`);
const bash = (command: string): string => execFileSync('bash', ['-c', command], { encoding: 'utf8' });
/** The probe's output on a root, its markers naming the files as on a host. */
const probeOn = (root: string): string => bash(inRoot(ufwState().command, root)).replaceAll(`${root}/etc/`, '/etc/');

/** What the probe ran before: grep over the same four files. */
const GREP_PROBE =
  `for f in /etc/ufw/ufw.conf /etc/default/ufw /etc/ufw/user.rules /etc/ufw/user6.rules; do echo "==> $f"; ` +
  `if [ -e "$f" ]; then grep -E '^(### tuple ###|[A-Z_0-9]+=)' -- "$f" || true; else echo '<absent>'; fi; done; ` +
  `if [ -d /proc/sys/net/ipv6 ]; then echo '==> ipv6-kernel'; fi`;

describe('ufwState reads the files without grep', () => {
  it.each(['lb01', 'web02', 'mon01'])('prints what grep printed for %s', (host) => {
    const root = rootFrom(host);
    const out = bash(inRoot(ufwState().command, root));
    expect(out).toBe(bash(inRoot(GREP_PROBE, root)));
    expect(out.split('\n').filter((l) => l.startsWith('### tuple ###'))).toHaveLength(
      (readFileSync(join(fixtures, host, 'ufw_user.rules'), 'utf8') + readFileSync(join(fixtures, host, 'ufw_user6.rules'), 'utf8'))
        .split('\n')
        .filter((l) => l.startsWith('### tuple ###')).length,
    );
  });

  it('parses lb01: enabled, default deny in, its rules in file order with comments', () => {
    const st = parseUfwState({ code: 0, stdout: probeOn(rootFrom('lb01')), stderr: '' });
    expect(st).toMatchObject({ installed: true, enabled: true, policies: { incoming: 'deny', outgoing: 'allow', routed: 'deny' } });
    expect(st.rules.slice(0, 4).map((r) => `${r.action} ${r.proto} ${r.dport} from ${r.src}`)).toEqual([
      'allow tcp 22 from 0.0.0.0/0',
      'allow tcp 80 from 0.0.0.0/0',
      'allow tcp 443 from 0.0.0.0/0',
      'allow vrrp any from 192.168.56.13',
    ]);
    expect(st.rules[0]?.comment).toBe('provision: ssh');
    expect(st.rules.filter((r) => r.v6)).toHaveLength(3);
  });

  it('marks missing files, and keeps a last line without a newline', () => {
    const missing = bash(inRoot(ufwState().command, rootFrom(undefined)));
    expect(missing).toContain('==> /tmp');
    expect(missing.match(/<absent>/g)).toHaveLength(4);
    const root = rootFrom('web02', (etc) => writeFileSync(join(etc, 'ufw', 'ufw.conf'), 'ENABLED=no\nLOGLEVEL=low'));
    expect(bash(inRoot(ufwState().command, root))).toBe(bash(inRoot(GREP_PROBE, root)));
    expect(parseUfwState({ code: 0, stdout: probeOn(root), stderr: '' }).enabled).toBe(false);
  });
});
