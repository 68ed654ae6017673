// SshTransport against a private sshd on 127.0.0.1 (sshd-fixture.ts). Skipped with a message when sshd
// is not installed, except under CI=true where that is a failure.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, HostKeyError } from '../../../src/core/errors.js';
import { BecomeError } from '../../../src/transport/become.js';
import { SshTransport } from '../../../src/transport/ssh.js';
import type { ConnectionSettings } from '../../../src/transport/types.js';
import { fixtureSettings, sshdUnavailable, startSshd, type SshdFixture } from './sshd-fixture.js';

const unavailable = sshdUnavailable();
if (unavailable) {
  if (process.env.CI === 'true') throw new Error(`SSH transport tests cannot run under CI: ${unavailable}`);
  console.warn(`skipping SSH transport tests: ${unavailable}`);
}

describe.skipIf(unavailable !== undefined)('SshTransport (loopback sshd)', { timeout: 30_000 }, () => {
  let f: SshdFixture;
  let t: SshTransport;
  const settings = (over: Partial<ConnectionSettings> = {}): ConnectionSettings => fixtureSettings(f, over);
  const fingerprint = (): string => {
    const out = spawnSync('ssh-keygen', ['-lf', join(f.dir, 'host_ed25519.pub')]).stdout.toString();
    return out.split(' ')[1] ?? 'none';
  };

  beforeAll(async () => {
    f = await startSshd();
    t = new SshTransport(settings());
    await t.connect();
  }, 20_000);

  afterAll(async () => {
    await t?.close();
    await f?.stop();
  });

  describe('commands', () => {
    it('runs commands in the home directory with separate stdout, stderr and code', async () => {
      expect(await t.exec('pwd; echo err >&2; exit 5')).toEqual({ code: 5, stdout: `${homedir()}\n`, stderr: 'err\n' });
    });

    it('keeps no state between commands', async () => {
      await t.exec('cd /tmp; export PROVISION_LEAK=1');
      expect((await t.exec('pwd; echo "[${PROVISION_LEAK-}]"')).stdout).toBe(`${homedir()}\n[]\n`);
    });

    it('counts one round trip per exec, batch and get', async () => {
      const before = t.roundTrips;
      await t.exec('true');
      const batch = await t.execBatch(['echo a', 'exit 2', 'echo c >&2']);
      expect(batch).toEqual([
        { code: 0, stdout: 'a\n', stderr: '' },
        { code: 2, stdout: '', stderr: '' },
        { code: 0, stdout: '', stderr: 'c\n' },
      ]);
      const file = join(f.dir, 'blob');
      const data = randomBytes(200_000);
      writeFileSync(file, data);
      expect((await t.get(file)).equals(data)).toBe(true);
      expect(t.roundTrips - before).toBe(3);
    });

    it('delivers stdin byte for byte and returns MBs of output', async () => {
      const data = randomBytes(3 * 1024 * 1024);
      const [r] = await t.execRaw(['cat'], { stdin: data });
      expect(r?.stdout.equals(data)).toBe(true);
      expect(r?.code).toBe(0);
    });

    it('kills a command past its timeout and stays usable', async () => {
      const started = Date.now();
      const r = await t.exec('sleep 20', { timeoutMs: 300 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(r.code).toBe(124);
      expect(r.stderr).toMatch(/timed out after 300 ms/);
      expect((await t.exec('echo ok')).stdout).toBe('ok\n');
    });

    it('uses one connection: shells and round trips do not open new SSH sessions', async () => {
      // Every command's parent is the same persistent shell.
      const pids = await Promise.all(Array.from({ length: 5 }, () => t.exec('echo $PPID')));
      expect(new Set(pids.map((p) => p.stdout)).size).toBe(1);
    });
  });

  describe('become', () => {
    it.runIf(userInfo().uid === 0)('becomes root as root and another user through sudo', async () => {
      expect((await t.exec('id -un', { become: {} })).stdout).toBe('root\n');
      const r = await t.execBatch(['id -un', 'cat'], { become: { user: 'nobody' }, stdin: 'via sudo' });
      expect(r.map((x) => x.stdout)).toEqual(['nobody\n', 'via sudo']);
      const parents = await t.execBatch(['echo $PPID', 'echo $PPID'], { become: { user: 'nobody' } });
      expect(parents[0]?.stdout).toBe(parents[1]?.stdout);
    });

    it('refuses clearly when sudo cannot become the user', async () => {
      const error = await t.exec('true', { become: { user: 'no-such-user-provision' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BecomeError);
      expect((error as Error).message).toMatch(/fixture: become \(sudo\) to user 'no-such-user-provision' failed/);
    });
  });

  describe('host keys', () => {
    it('refuses an unknown host key, naming its fingerprint and how to opt in', async () => {
      const file = join(f.dir, 'empty_known_hosts');
      writeFileSync(file, '');
      const error = await new SshTransport(settings({ knownHostsFile: file })).connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyError);
      const message = (error as Error).message;
      expect(message).toContain(fingerprint());
      expect(message).toContain('--trust-on-first-use');
      expect(message).toContain(`ssh-keyscan -p ${f.port} -t ed25519 127.0.0.1`);
    });

    it('records an unknown key with trust-on-first-use, then knows it', async () => {
      const file = join(f.dir, 'tofu', 'known_hosts');
      const first = new SshTransport(settings({ knownHostsFile: file, trustOnFirstUse: true }));
      await first.connect();
      await first.close();
      expect(readFileSync(file, 'utf8')).toBe(`${f.hostKeyLine}\n`);
      const second = new SshTransport(settings({ knownHostsFile: file }));
      expect((await second.exec('echo known')).stdout).toBe('known\n');
      await second.close();
      // A closed transport can be opened again.
      expect((await second.exec('echo reopened')).stdout).toBe('reopened\n');
      await second.close();
    });

    it('accepts hashed entries', async () => {
      const file = join(f.dir, 'hashed_known_hosts');
      writeFileSync(file, `${f.hostKeyLine}\n`);
      expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
      const hashed = new SshTransport(settings({ knownHostsFile: file }));
      await hashed.connect();
      await hashed.close();
    });

    it('always refuses a changed key, even with trust-on-first-use', async () => {
      const file = join(f.dir, 'changed_known_hosts');
      const other = 'AAAAC3NzaC1lZDI1NTE5AAAAIPasu9PGJ/C2Ty+BhQyap8pf0QQi6Os3Naz6a96rqMRW';
      writeFileSync(file, `[127.0.0.1]:${f.port} ssh-ed25519 ${other}\n`);
      const error = await new SshTransport(settings({ knownHostsFile: file, trustOnFirstUse: true }))
        .connect()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HostKeyError);
      expect((error as Error).message).toMatch(/has CHANGED/);
      expect((error as Error).message).toContain(fingerprint());
      expect(readFileSync(file, 'utf8')).toBe(`[127.0.0.1]:${f.port} ssh-ed25519 ${other}\n`);
    });
  });

  describe('connection failures', () => {
    it('reports a rejected key as a ConnectionError', async () => {
      const wrongKey = join(f.dir, 'host_ed25519'); // a valid key that is not authorized
      const error = await new SshTransport(settings({ privateKeyFile: wrongKey })).connect().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).not.toBeInstanceOf(HostKeyError);
      expect((error as Error).message).toMatch(/authentication as '.*' failed \(tried key /);
    });

    it('gives up after the connect timeout when nothing answers', async () => {
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const started = Date.now();
      const error = await new SshTransport(settings({ port, connectTimeoutMs: 400 })).connect().catch((e: unknown) => e);
      silent.close();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(/no SSH answer within 400 ms/);
    });

    it('throws ConnectionError when the connection drops mid-run', async () => {
      const victim = new SshTransport(settings());
      expect((await victim.exec('echo up')).stdout).toBe('up\n');
      // Kill this connection's sshd session process (the persistent shell's parent).
      const drop = victim.exec('read -r _ _ _ pp _ </proc/$PPID/stat; kill -9 "$pp"; sleep 5');
      await expect(drop).rejects.toThrow(ConnectionError);
      await expect(victim.exec('echo again')).rejects.toThrow(/connection to .* lost/);
      await victim.close();
    });
  });
});
