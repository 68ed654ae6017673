import { describe, expect, test } from 'vitest';
import type { HostCounts } from '../../../src/engine/events.js';
import { palette } from '../../../src/report/colors.js';
import { formatRecap } from '../../../src/report/recap.js';

const counts = (c: Partial<HostCounts>): HostCounts => ({
  ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0, ...c,
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('formatRecap', () => {
  const recap = {
    type: 'recap' as const,
    duration_ms: 83_500,
    hosts: {
      web01: counts({ ok: 12, changed: 3, skipped: 1 }),
      lb01: counts({ unreachable: 1 }),
      'db-primary.example.internal.long-name': counts({ ok: 1, failed: 1, ignored: 2 }),
    },
  };

  test('header, one sorted row per host with every count, then the duration', () => {
    const lines = formatRecap(recap, palette(false));
    expect(lines[0]).toMatch(/^PLAY RECAP \*{3,}$/);
    const rows = lines.slice(1, 4);
    expect(rows.map((r) => r.split(' ')[0])).toEqual(['db-primary.example.internal.long-name', 'lb01', 'web01']);
    expect(rows[2]).toMatch(/^web01 +: ok=12 +changed=3 +unreachable=0 +failed=0 +skipped=1 +rescued=0 +ignored=0$/);
    expect(rows[0]).toMatch(/failed=1 +skipped=0 +rescued=0 +ignored=2$/);
    expect(lines).toContain('Duration: 1m23s');
    expect(lines.some((l) => l.includes('retry'))).toBe(false);
  });

  test('columns are aligned like Ansible, the host column widening for long names', () => {
    const rows = formatRecap(recap, palette(false)).slice(1, 4);
    for (const field of [' : ', 'changed=', 'unreachable=', 'failed=', 'skipped=', 'rescued=', 'ignored=']) {
      const columns = new Set(rows.map((r) => r.indexOf(field)));
      expect(columns.size, field).toBe(1);
    }
    // Short names still get Ansible's 26-column host field.
    const short = formatRecap({ ...recap, hosts: { a: counts({}) } }, palette(false))[1]!;
    expect(short.indexOf(' : ')).toBe(26);
  });

  test('colours only when asked, and alignment survives them', () => {
    const plain = formatRecap(recap, palette(false));
    const coloured = formatRecap(recap, palette(true));
    expect(plain.join('\n')).not.toMatch(/\u001b\[/);
    expect(coloured.join('\n')).toMatch(/\u001b\[31m/); // failed/unreachable hosts in red
    expect(coloured.map(stripAnsi)).toEqual(plain);
  });

  test('names the retry file when the run wrote one', () => {
    const lines = formatRecap({ ...recap, retry_file: '/tmp/site.retry' }, palette(false));
    expect(lines.at(-1)).toContain('/tmp/site.retry');
    expect(lines.at(-1)).toContain('--limit @/tmp/site.retry');
  });
});
