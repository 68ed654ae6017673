import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aptCacheAge, autoremovable, packageStates, parseAptCacheAge, parseAptPolicy, parsePackageStates } from '../../../src/facts/packages.js';
import { fixture } from './fixture.js';

describe('packageStates', () => {
  it('parses dpkg-query output and marks unknown names not installed', () => {
    const states = parsePackageStates(fixture('packages'), ['bash', 'coreutils', 'libc6', 'no-such-package-x']);
    expect(states.bash).toEqual({ status: 'installed', installed: true, version: '5.2.15-2+b13' });
    expect(states.libc6?.installed).toBe(true);
    expect(states['no-such-package-x']).toEqual({ status: 'not-installed', installed: false });
  });
  it('handles no known package at all', () => {
    expect(parsePackageStates(fixture('packages-none'), ['no-such-package-x'])).toEqual({
      'no-such-package-x': { status: 'not-installed', installed: false },
    });
  });
  it('sees removed-but-configured packages, and an installed arch wins over another', () => {
    const out = 'nginx\tconfig-files\t1.22.1-9\nlibfoo\tinstalled\t1.0\nlibfoo\tnot-installed\t\n';
    const states = parsePackageStates({ code: 0, stdout: out, stderr: '' }, ['nginx', 'libfoo']);
    expect(states.nginx).toEqual({ status: 'config-files', installed: false });
    expect(states.libfoo).toEqual({ status: 'installed', installed: true, version: '1.0' });
  });
  it('has the same key whatever the order of names', () => {
    expect(packageStates(['b', 'a']).key).toBe(packageStates(['a', 'b', 'a']).key);
  });
});

describe('apt-cache policy', () => {
  it('parses installed and candidate versions', () => {
    expect(parseAptPolicy(fixture('policy'))).toEqual({ bash: { installed: '5.2.15-2+b8', candidate: '5.2.15-2+b13' } });
  });
  it('treats (none) as absent', () => {
    const out = 'foo:\n  Installed: (none)\n  Candidate: 2.0\n  Version table:\n';
    expect(parseAptPolicy({ code: 0, stdout: out, stderr: '' })).toEqual({ foo: { candidate: '2.0' } });
  });
});

describe('aptCacheAge', () => {
  it('computes the age in seconds from a captured sample', () => {
    const f = fixture('cache-age');
    const [now, mtime] = f.stdout.trim().split('\n').map(Number);
    expect(parseAptCacheAge(f)).toBe((now ?? 0) - (mtime ?? 0));
  });
  it('is undefined when no stamp exists', () => {
    expect(parseAptCacheAge({ code: 0, stdout: '1700000000\n', stderr: '' })).toBeUndefined();
  });

  // The probe's shell snippet, run for real on a temp tree shaped like /var/lib/apt (read-only here).
  // Each test builds its own tree, so that either passes alone.
  describe('the probe on a lists directory', () => {
    let root = '';
    let paths = { lists: '', stamp: '' };
    const run = () => {
      const probe = aptCacheAge(paths);
      const res = spawnSync('bash', ['-c', probe.command], { encoding: 'utf8' });
      return probe.parse({ code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr });
    };
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'provision-apt-'));
      paths = { lists: join(root, 'lists'), stamp: join(root, 'stamp') };
      mkdirSync(paths.lists);
      writeFileSync(paths.stamp, '');
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('an image whose lists were cleaned counts as never updated, even with a fresh stamp', () => {
      expect(run()).toBeUndefined();
    });
    it('with Packages lists, the stamp gives the age', () => {
      writeFileSync(join(paths.lists, 'deb_dists_bookworm_main_binary-amd64_Packages'), '');
      const age = run();
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(60);
    });
    it('without a stamp, the lists directory gives the age; compressed lists count, hidden names do not', () => {
      rmSync(paths.stamp);
      writeFileSync(join(paths.lists, '.hidden_Packages'), '');
      expect(run()).toBeUndefined();
      writeFileSync(join(paths.lists, 'deb_dists_bookworm_main_binary-amd64_Packages.lz4'), '');
      utimesSync(paths.lists, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
      const age = run() ?? 0;
      expect(age).toBeGreaterThanOrEqual(3599);
      expect(age).toBeLessThan(3660);
    });
  });
});

describe('autoremovable', () => {
  it('lists the Remv lines of a simulation', () => {
    const probe = autoremovable();
    expect(probe.parse(fixture('autoremove'))).toEqual([]);
    expect(probe.parse({ code: 0, stdout: 'Remv libfoo1 [1.2-3]\nRemv bar [2]\n', stderr: '' })).toEqual(['libfoo1', 'bar']);
  });
});
