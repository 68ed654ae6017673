// packageStates probes of one batch ask one dpkg-query: against this machine's real dpkg-query, on a
// database written here (installed, config-files, a multi-arch package installed for one architecture
// only, names dpkg has never heard of), each probe's merged result must be what it gives alone.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { quote } from '../../../src/core/shell.js';
import { execProbes } from '../../../src/engine/merged-probes.js';
import { packageStates } from '../../../src/facts/packages.js';
import type { Probe } from '../../../src/facts/types.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { ExecOptions, ExecResult } from '../../../src/transport/types.js';

const admin = mkdtempSync(join(tmpdir(), 'dpkg-admin-'));
mkdirSync(join(admin, 'info'));
mkdirSync(join(admin, 'updates'));
const entry = (pkg: string, status: string, arch: string, version: string, multiArch = false) =>
  `Package: ${pkg}\nStatus: ${status}\nPriority: optional\nSection: misc\nMaintainer: Nobody <nobody@example.invalid>\nArchitecture: ${arch}\n${multiArch ? 'Multi-Arch: same\n' : ''}Version: ${version}\nDescription: ${pkg}\n`;
writeFileSync(
  join(admin, 'status'),
  [
    entry('nginx', 'install ok installed', 'amd64', '1.22.1-9'),
    entry('curl', 'install ok installed', 'amd64', '7.88.1-10'),
    entry('apache2', 'deinstall ok config-files', 'amd64', '2.4.57-2'),
    entry('libmulti1', 'deinstall ok config-files', 'amd64', '3.1-1', true),
    entry('libmulti1', 'install ok installed', 'i386', '3.1-1', true),
    entry('half', 'install reinstreq half-installed', 'amd64', '0.9'),
  ].join('\n'),
);

/** A real local shell whose commands all read the database above, recording its batches. */
class DpkgTransport extends LocalTransport {
  readonly batches: string[][] = [];
  override execBatch(commands: string[], options?: ExecOptions): Promise<ExecResult[]> {
    this.batches.push(commands);
    return super.execBatch(
      commands.map((c) => `export DPKG_ADMINDIR=${quote(admin)}; ${c}`),
      options,
    );
  }
}
const transport = new DpkgTransport('local');
afterAll(async () => {
  await transport.close();
  rmSync(admin, { recursive: true, force: true });
});
beforeEach(() => {
  transport.batches.length = 0;
});

async function alone(p: Probe<unknown>): Promise<ExecResult> {
  const [result] = await transport.execBatch([p.command], { probe: true });
  return result as ExecResult;
}

describe('packageStates probes merged into one dpkg-query', () => {
  it('gives every probe what it gives alone, with one command for the batch', async () => {
    const probes = [packageStates(['nginx', 'curl']), packageStates(['apache2', 'nosuchpackage']), packageStates(['libmulti1']), packageStates(['half', 'nginx']), packageStates(['never-heard-of'])];
    const merged = await execProbes(transport, probes, { probe: true });
    expect(transport.batches.map((b) => b.length)).toEqual([1]);
    expect(transport.batches[0]?.[0]?.match(/dpkg-query/g)).toHaveLength(1);
    for (const [i, p] of probes.entries()) {
      const own = await alone(p);
      expect({ key: p.key, ...merged[i] }).toEqual({ key: p.key, ...own });
      expect(p.parse(merged[i] as ExecResult)).toEqual(p.parse(own));
    }
  });

  it('reads the states from the database (not from the merge code)', async () => {
    const [web, multi] = await execProbes(transport, [packageStates(['nginx', 'apache2', 'zzz']), packageStates(['libmulti1'])], { probe: true });
    expect(packageStates(['nginx', 'apache2', 'zzz']).parse(web as ExecResult)).toEqual({
      nginx: { status: 'installed', installed: true, version: '1.22.1-9' },
      apache2: { status: 'config-files', installed: false },
      zzz: { status: 'not-installed', installed: false },
    });
    expect(packageStates(['libmulti1']).parse(multi as ExecResult)).toEqual({ libmulti1: { status: 'installed', installed: true, version: '3.1-1' } });
  });

  it('leaves out of the merge a probe with a pattern or an architecture (its lines could be another name\'s), or no name (all packages)', () => {
    expect(packageStates(['nginx*']).merge).toBeUndefined();
    expect(packageStates(['libmulti1:i386', 'curl']).merge).toBeUndefined();
    expect(packageStates(['libstdc++6', 'python3.11']).merge).toBeDefined();
    expect(packageStates([]).merge).toBeUndefined();
  });
});
