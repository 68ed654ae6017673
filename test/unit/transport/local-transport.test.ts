// The persistent-shell protocol end to end, through LocalTransport, with harmless read-only commands.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskFailedError } from '../../../src/core/errors.js';
import { BecomeError } from '../../../src/transport/become.js';
import { LocalTransport } from '../../../src/transport/local.js';

let t: LocalTransport;
let dir: string;

beforeAll(() => {
  t = new LocalTransport('localhost');
  dir = mkdtempSync(join(tmpdir(), 'provision-local-'));
});

afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The pid that a command started in the background writes to `file` (waited for 5 s at most). */
async function pidWrittenTo(file: string): Promise<number> {
  const end = Date.now() + 5000;
  while (!existsSync(file) || readFileSync(file, 'utf8') === '') {
    if (Date.now() > end) throw new Error(`nothing was written to ${file}: the command did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Number(readFileSync(file, 'utf8'));
}

describe('LocalTransport exec', () => {
  it('returns stdout, stderr and the exit code separately', async () => {
    const r = await t.exec('echo out; echo err >&2; exit 3');
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('has bash -c semantics: pipes, quoting, $0 arguments, multi-line scripts', async () => {
    const r = await t.exec("set -o pipefail\nprintf '%s\\n' 'a b' \"c'd\" | sort -r | tr -d ' '\n[[ 1 == 1 ]] && echo yes");
    expect(r).toEqual({ code: 0, stdout: "c'd\nab\nyes\n", stderr: '' });
  });

  it('reads a command by its length in bytes, whatever the locale: multibyte text, a long script', async () => {
    // Under a UTF-8 locale a character count would stop short of the bytes sent and the stream would
    // lose step; the next command of the batch shows it did not.
    const long = `x=${'y'.repeat(100_000)}; echo \${#x}`;
    const saved = process.env.LC_ALL;
    process.env.LC_ALL = 'C.UTF-8';
    const utf8 = new LocalTransport('localhost');
    try {
      await utf8.connect();
      const rs = await utf8.execRaw(['v="été ✓"; printf "%s|%s\\n" "$v" "${#v}"', long, 'echo after']);
      // Five characters in the shell's UTF-8 locale, eight bytes on the wire.
      expect(rs.map((r) => r.stdout.toString())).toEqual(['été ✓|5\n', '100000\n', 'after\n']);
    } finally {
      if (saved === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved;
      await utf8.close();
    }
  });

  it('is byte-exact: NUL and invalid UTF-8 in output', async () => {
    const [r] = await t.execRaw(["printf 'a\\000b\\377\\n\\n'"]);
    expect(r?.stdout).toEqual(Buffer.from([0x61, 0, 0x62, 0xff, 0x0a, 0x0a]));
  });

  it('cannot be confused by output that looks like the framing, even with the real sentinel', async () => {
    // The shell's sentinel is in its own argv: a command can find it and print fake frames.
    const fake =
      "S=$(tr '\\0' '\\n' </proc/$PPID/cmdline | grep -o -m1 'PRV[0-9a-f]*'); " +
      'printf "%s 1 0 0  \\n%s 1 done\\n%s 99 done\\n" "$S" "$S" "$S"; printf "%s ready 1\\n" "$S" >&2';
    const r = await t.exec(fake);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PRV[0-9a-f]{24} 1 0 0 {2}\nPRV[0-9a-f]{24} 1 done\n/);
    expect(r.stderr).toMatch(/ready 1\n$/);
    expect((await t.exec('echo still in step')).stdout).toBe('still in step\n');
  });

  it('carries several MB of output', async () => {
    const file = join(dir, 'big');
    const data = randomBytes(6 * 1024 * 1024);
    writeFileSync(file, data);
    const [r] = await t.execRaw([`cat ${file}; cat ${file} >&2`]);
    expect(r?.stdout.equals(data)).toBe(true);
    expect(r?.stderr.equals(data)).toBe(true);
  });

  it('delivers stdin bytes (binary, large) without putting them in argv', async () => {
    const data = Buffer.concat([Buffer.from([0, 10, 255, 0]), randomBytes(1024 * 1024)]);
    const [r] = await t.execRaw(['cat; echo -n "|$#|"'], { stdin: data });
    expect(r?.stdout.equals(Buffer.concat([data, Buffer.from('|0|')]))).toBe(true);
    const secret = `s3cret-${randomBytes(6).toString('hex')}`;
    const ps = await t.exec('cat >/dev/null; cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "', { stdin: secret });
    expect(ps.code).toBe(0);
    expect(ps.stdout).not.toContain(secret);
  });

  it('gives a command no stdin unless asked (it cannot eat the protocol)', async () => {
    const r = await t.exec('cat; echo end');
    expect(r.stdout).toBe('end\n');
    expect((await t.exec('echo next')).stdout).toBe('next\n');
  });

  it('runs every command in a fresh shell in the home directory', async () => {
    const first = await t.exec('cd /tmp && export PROVISION_LEAK=1 && LOCAL_VAR=2 && f() { :; } && set -e && pwd');
    expect(first.stdout).toBe('/tmp\n');
    const next = await t.exec('pwd; echo "[${PROVISION_LEAK-}${LOCAL_VAR-}]"; type f >/dev/null 2>&1 || echo no-f; echo "$-"');
    const [pwd, vars, fn, flags] = next.stdout.split('\n');
    expect(pwd).toBe(homedir());
    expect(vars).toBe('[]');
    expect(fn).toBe('no-f');
    expect(flags).not.toContain('e');
  });

  it('does not expose the shell loop variables to commands', async () => {
    expect((await t.exec('echo "[${S-}${d-}${line-}${c-}]"')).stdout).toBe('[]\n');
  });
});

// Probes run in a forked copy of the shell (no exec): the same isolation and bytes as bash -c.
describe('LocalTransport exec of probes', () => {
  const probe = { probe: true } as const;

  it('keeps cd, variables, functions and options from leaking into the next command', async () => {
    const first = await t.exec('cd /tmp && export PROVISION_LEAK=1 && LOCAL_VAR=2 && f() { :; } && set -e && pwd', probe);
    expect(first.stdout).toBe('/tmp\n');
    const next = await t.exec('pwd; echo "[${PROVISION_LEAK-}${LOCAL_VAR-}]"; type f >/dev/null 2>&1 || echo no-f; echo "$-"', probe);
    const [pwd, vars, fn, flags] = next.stdout.split('\n');
    expect(pwd).toBe(homedir());
    expect(vars).toBe('[]');
    expect(fn).toBe('no-f');
    expect(flags).not.toContain('e');
    expect(flags).not.toContain('m');
  });

  it("does not see the shell's own variables", async () => {
    const names = ['S', 'L', 'd', 'w', 'a', 'line', 'r', 'id', 'n', 'i', 't', 'k', 'm', 'in', 't0', 'ts', 'rc', 't1', 'o', 'e', 'c', 'q', 'j'];
    const r = await t.exec(names.map((v) => `[ -n "\${${v}+x}" ] && echo ${v}`).join('; ') + '; true', probe);
    expect(r.stdout).toBe('');
  });

  it('returns output byte for byte: control bytes bash uses internally, invalid UTF-8, NUL', async () => {
    const [r] = await t.execRaw(["printf '\\001\\177x\\001\\377\\r\\n\\n'; printf 'e\\001\\n' >&2; exit 4"], probe);
    expect(r?.stdout).toEqual(Buffer.from([1, 0x7f, 0x78, 1, 0xff, 0x0d, 0x0a, 0x0a]));
    expect(r?.stderr).toEqual(Buffer.from([0x65, 1, 0x0a]));
    expect(r?.code).toBe(4);
    const [z] = await t.execRaw(["printf 'a\\000b\\000'"], probe);
    expect(z?.stdout).toEqual(Buffer.from([0x61, 0, 0x62, 0]));
  });

  it('ends a running probe with its whole process group and keeps the shell usable', async () => {
    const local = new LocalTransport('localhost');
    const pidFile = join(dir, 'probe-bg.pid');
    try {
      const running = local.exec(`sleep 305 & echo $! > ${pidFile}; sleep 306`, probe);
      const background = await pidWrittenTo(pidFile);
      await local.interrupt();
      const r = await running;
      expect(r.code).toBe(143);
      await new Promise((res) => setTimeout(res, 100));
      expect(() => process.kill(background, 0)).toThrow();
      expect((await local.exec('echo still here', probe)).stdout).toBe('still here\n');
    } finally {
      await local.close();
    }
  });
});

describe('LocalTransport probe batches, side by side', () => {
  const probe = { probe: true } as const;
  /** A probe that marks its arrival, then waits (5 s at most) for the other's mark: it meets it only if both run at once. */
  const meeting = (me: string, other: string) => `touch ${dir}/${me}; for _ in $(seq 100); do [ -e ${dir}/${other} ] && echo met && exit 0; sleep 0.05; done; echo alone; exit 7`;

  it('runs the probes of a batch at the same time, and answers each in order', async () => {
    const results = await t.execBatch([meeting('p-a', 'p-b'), 'echo two; echo err >&2; exit 3', meeting('p-b', 'p-a')], probe);
    expect(results).toEqual([
      { code: 0, stdout: 'met\n', stderr: '' },
      { code: 3, stdout: 'two\n', stderr: 'err\n' },
      { code: 0, stdout: 'met\n', stderr: '' },
    ]);
  });

  it('keeps each probe to itself: its own output files, no stdin, no shell variables, nothing left to the next', async () => {
    const [a, b, c] = await t.execRaw(["printf 'a\\000'", 'cat; echo "[${d-}${q-}${i-}]"; type answer >/dev/null 2>&1 || echo no-answer; type probe >/dev/null 2>&1 || echo no-probe', 'cd /tmp; X=1; pwd'], probe);
    expect(a?.stdout).toEqual(Buffer.from([0x61, 0]));
    expect(b?.stdout.toString()).toBe('[]\nno-answer\nno-probe\n');
    expect(c?.stdout.toString()).toBe('/tmp\n');
    const [next] = await t.execBatch(['pwd; echo "[${X-}]"', 'true'], probe);
    expect(next?.stdout).toBe(`${homedir()}\n[]\n`);
  });

  it('ends probes running side by side with their process groups, and the shell stays usable', async () => {
    const local = new LocalTransport('localhost');
    const pidFile = join(dir, 'parallel-bg.pid');
    try {
      const running = local.execBatch([`sleep 307 & echo $! > ${pidFile}; sleep 308`, 'sleep 309'], probe);
      const background = await pidWrittenTo(pidFile);
      await local.interrupt();
      expect((await running).map((r) => r.code)).toEqual([143, 143]);
      await new Promise((res) => setTimeout(res, 100));
      expect(() => process.kill(background, 0)).toThrow();
      expect((await local.execBatch(['echo still', 'echo here'], probe)).map((r) => r.stdout)).toEqual(['still\n', 'here\n']);
    } finally {
      await local.close();
    }
  });
});

describe('LocalTransport execBatch, get and round trips', () => {
  it('runs a batch in one round trip with one result per command, in order', async () => {
    const before = t.roundTrips;
    const results = await t.execBatch(['echo one', 'echo two >&2; exit 4', 'cd / && pwd', 'pwd']);
    expect(t.roundTrips - before).toBe(1);
    expect(results).toEqual([
      { code: 0, stdout: 'one\n', stderr: '' },
      { code: 4, stdout: '', stderr: 'two\n' },
      { code: 0, stdout: '/\n', stderr: '' },
      { code: 0, stdout: `${homedir()}\n`, stderr: '' },
    ]);
    expect(await t.execBatch([])).toEqual([]);
    expect(t.roundTrips - before).toBe(1);
  });

  it('gets a file byte for byte in one round trip, and fails clearly on a missing file', async () => {
    const file = join(dir, "odd name's.bin");
    const data = randomBytes(300_000);
    writeFileSync(file, data);
    const before = t.roundTrips;
    expect((await t.get(file)).equals(data)).toBe(true);
    expect(t.roundTrips - before).toBe(1);
    await expect(t.get(join(dir, 'missing'))).rejects.toThrow(TaskFailedError);
    await expect(t.get(join(dir, 'missing'))).rejects.toThrow(/cannot read .*missing: .*No such file/);
  });

  it("a caller's tally counts its own round trips only, however calls interleave", async () => {
    const mine = { roundTrips: 0 };
    const theirs = { roundTrips: 0 };
    const before = t.roundTrips;
    await Promise.all([
      t.exec('true', { tally: mine }),
      t.execBatch(['true', 'true'], { tally: theirs }),
      t.get('/etc/hostname', { tally: mine }),
      t.execBatch([], { tally: mine }),
      t.exec('true'),
    ]);
    expect(mine.roundTrips).toBe(2);
    expect(theirs.roundTrips).toBe(1);
    expect(t.roundTrips - before).toBe(4);
  });

  it('answers concurrent requests in order on the one shell', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => t.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
  });
});

describe('LocalTransport timeouts and failures', () => {
  it('kills a command that runs too long, reports it, and stays usable', async () => {
    const started = Date.now();
    const r = await t.exec('echo started; sleep 30 & sleep 30; echo never', { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(124);
    expect(r.stdout).toBe('started\n');
    expect(r.stderr).toMatch(/timed out after 300 ms/);
    expect((await t.exec('echo alive')).stdout).toBe('alive\n');
  });

  it("does not mistake a command's own exit 124 for a timeout", async () => {
    const r = await t.exec('exit 124', { timeoutMs: 5000 });
    expect(r).toEqual({ code: 124, stdout: '', stderr: '' });
  });

  it('reports a shell killed under a command as that command failing, then starts a new one', async () => {
    // TERM, not KILL: the shell still removes its temp dir on the way out.
    const r = await t.exec('kill $PPID; sleep 0.2');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/remote shell was lost/);
    expect((await t.exec('echo recovered')).stdout).toBe('recovered\n');
  });
});

describe('LocalTransport become', () => {
  const root = userInfo().uid === 0;

  it.runIf(root)('becomes root as root with a plain shell', async () => {
    expect((await t.exec('id -un', { become: {} })).stdout).toBe('root\n');
  });

  it.runIf(root)('becomes another user through sudo, with that user\'s own shell', async () => {
    const r = await t.execBatch(['id -un', 'echo "$HOME"'], { become: { user: 'nobody' } });
    expect(r.map((x) => x.stdout)).toEqual(['nobody\n', expect.stringMatching(/^\/\S*\n$/)]);
    expect((await t.exec('id -un')).stdout).toBe('root\n');
  });

  it('raises a clear BecomeError when sudo refuses', async () => {
    const error = await t.exec('true', { become: { user: 'no-such-user-provision' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BecomeError);
    expect(String((error as Error).message)).toMatch(/become \(sudo\) to user 'no-such-user-provision' failed/);
  });
});

describe('LocalTransport interrupt', () => {
  it('ends a running command with its whole process group and keeps the shell usable', async () => {
    const local = new LocalTransport('localhost');
    const pidFile = join(dir, 'bg.pid');
    try {
      const running = local.exec(`sleep 303 & echo $! > ${pidFile}; sleep 304`);
      const background = await pidWrittenTo(pidFile);
      const t0 = Date.now();
      await local.interrupt();
      const r = await running;
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(r.code).toBe(143);
      await new Promise((res) => setTimeout(res, 100));
      expect(() => process.kill(background, 0)).toThrow();
      expect((await local.exec('echo still here')).stdout).toBe('still here\n');
      // Nothing in flight: a no-op.
      await local.interrupt();
    } finally {
      await local.close();
    }
  });
});
