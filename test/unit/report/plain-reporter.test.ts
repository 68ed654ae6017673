import { describe, expect, test } from 'vitest';
import type { RunEvent } from '../../../src/engine/events.js';
import { createReporter } from '../../../src/report/index.js';
import { collector, emitted, result, scriptedRun, SECRET } from './events-fixture.js';

async function runPlain(options: { verbose?: number; diff?: boolean; color?: boolean } = {}, events: RunEvent[] = scriptedRun()) {
  const out = await collector();
  const err = await collector();
  const reporter = await createReporter({
    mode: 'plain',
    verbose: options.verbose ?? 0,
    diff: options.diff ?? false,
    color: options.color ?? false,
    out: out.stream,
    err: err.stream,
  });
  for (const e of emitted(events)) reporter.handle(e);
  await reporter.finish();
  return { out: out.text().split('\n'), err: err.text() };
}

const stars = /^((?:PLAY|TASK|RUNNING HANDLER) .*?) \*{3,}$/;
const headers = (lines: string[]): string[] => lines.filter((l) => stars.test(l)).map((l) => stars.exec(l)![1]!);

describe('plain reporter', () => {
  test('Ansible-like lines for a scripted run', async () => {
    const { out } = await runPlain();
    expect(out[0]).toMatch(/^CHECK MODE/);
    expect(headers(out)).toEqual([
      'PLAY [web servers]',
      'TASK [Install packages]',
      'TASK [Write config]',
      'TASK [Optional step]',
      'RUNNING HANDLER [Restart app]',
      'PLAY RECAP',
    ]);
    const body = out.filter((l) => l !== '' && !stars.test(l) && !l.startsWith('CHECK MODE'));
    expect(body.slice(0, 12)).toEqual([
      'changed: [web01] => (item=nginx)',
      'ok: [web01] => (item=curl)',
      'changed: [web01]',
      'ok: [web02]',
      'fatal: [lb01]: UNREACHABLE! => connect ECONNREFUSED 10.0.3.10:22',
      'changed: [web01]',
      'fatal: [web02]: FAILED! => validation failed for ********',
      '...ignoring',
      'skipping: [web01]',
      'fatal: [web02]: FAILED! => exit code 2',
      'changed: [web01]',
      expect.stringMatching(/^lb01 +: ok=0 +changed=0 +unreachable=1 +failed=0 +skipped=0 +rescued=0 +ignored=0$/),
    ]);
    expect(out).toContain('Duration: 4.21s');
    expect(out.some((l) => l.includes('site.retry'))).toBe(true);
  });

  test('headers are padded with stars to 80 columns', async () => {
    const { out } = await runPlain();
    for (const line of out.filter((l) => stars.test(l))) expect(line).toHaveLength(80);
  });

  test('no diff, commands or colour unless asked', async () => {
    const { out } = await runPlain();
    const text = out.join('\n');
    expect(text).not.toContain('--- before');
    expect(text).not.toContain('dpkg-query');
    expect(text).not.toMatch(/\u001b\[/);
  });

  test('--diff prints unified diffs after the result, masked', async () => {
    const { out } = await runPlain({ diff: true });
    const at = out.indexOf('--- before: /etc/app.conf');
    expect(at).toBeGreaterThan(0);
    expect(out[at - 1]).toBe('changed: [web01]');
    expect(out.slice(at, at + 7)).toEqual([
      '--- before: /etc/app.conf',
      '+++ after: /etc/app.conf',
      '@@ -1,2 +1,3 @@',
      ' a=1',
      '-b=2',
      '+b=3',
      '+password=********',
    ]);
    expect(out.join('\n')).not.toContain(SECRET);
  });

  test('-v shows commands and output; -vv adds timings and round trips', async () => {
    const v = (await runPlain({ verbose: 1 })).out;
    const at = v.indexOf('ok: [web02]');
    expect(v.slice(at, at + 4)).toEqual(['ok: [web02]', '  command: dpkg-query -W nginx', '  stdout: |', '    nginx 1.22.1']);
    const vv = (await runPlain({ verbose: 2 })).out;
    expect(vv).toContain('changed: [web01] (2.30s, 3 round trips)');
    expect(vv).toContain('ok: [web02] (120ms, 1 round trip)');
  });

  test('colours when asked: changed yellow, failed red, ok green', async () => {
    const { out } = await runPlain({ color: true });
    expect(out).toContain('\u001b[33mchanged: [web01]\u001b[39m');
    expect(out).toContain('\u001b[32mok: [web02]\u001b[39m');
    expect(out).toContain('\u001b[31mfatal: [web02]: FAILED! => exit code 2\u001b[39m');
  });

  test('warnings go to stderr, not stdout', async () => {
    const { out, err } = await runPlain();
    expect(err).toBe('[WARNING]: web02: deprecated option\n');
    expect(out.join('\n')).not.toContain('deprecated');
  });

  test('a result for another task than the last header (free strategy) repeats that task header', async () => {
    const events: RunEvent[] = [
      { type: 'play_start', play: 'p', hosts: ['a', 'b'] },
      { type: 'task_start', play: 'p', task: 'one', hosts: ['a', 'b'], handler: false, location: 'x:1:1' },
      result({ host: 'a', task: 'one', status: 'ok' }),
      { type: 'task_start', play: 'p', task: 'two', hosts: ['a'], handler: false, location: 'x:2:1' },
      result({ host: 'b', task: 'one', status: 'changed' }),
    ];
    expect(headers((await runPlain({}, events)).out)).toEqual(['PLAY [p]', 'TASK [one]', 'TASK [two]', 'TASK [one]']);
  });

  test('serial batches are named in the play header; no banner outside check mode', async () => {
    const events: RunEvent[] = [
      { type: 'run_start', playbook: 'x.yaml', check: false, diff: false, hosts: ['a'] },
      { type: 'play_start', play: 'rolling', hosts: ['a'], batch: { index: 1, count: 3 } },
    ];
    const { out } = await runPlain({}, events);
    expect(out.some((l) => l.startsWith('CHECK MODE'))).toBe(false);
    expect(headers(out)).toEqual(['PLAY [rolling] (batch 2/3)']);
  });

  test('--diff says so when a file changes only in secret values (masked alike on both sides)', async () => {
    const masked = 'password = ********\n';
    const events = [result({ host: 'web01', task: 'settings', status: 'changed', diff: [{ path: '/etc/app.ini', before: masked, after: masked, only_secrets_differ: true }] })];
    const { out } = await runPlain({ diff: true }, events);
    expect(out).toContain('/etc/app.ini: only secret values change (masked, not shown)');
  });

  test('a multi-line secret, masked before formatting, stays masked in diffs and output although lines get prefixed', async () => {
    const key = '-----BEGIN KEY-----\nAAAAsecretbody\n-----END KEY-----';
    const out = await collector();
    const err = await collector();
    const reporter = await createReporter({ mode: 'plain', verbose: 1, diff: true, color: false, out: out.stream, err: err.stream });
    for (const e of emitted([result({ host: 'a', task: 'key', status: 'changed', stdout: `${key}\n`, diff: [{ path: '/k', before: '', after: `${key}\n` }] })], [key])) reporter.handle(e);
    await reporter.finish();
    expect(out.text()).not.toContain('AAAAsecretbody');
    expect(out.text()).toContain('+********');
  });
});
