// The HTML report of a real lab run, opened in a real headless Chromium: a person sees every host,
// a changed task's diff, each failure's message, no secret, and the page asks nothing of any
// network address. Two runs of test/fixtures/integration/report.yaml (version 1, then 2) on web02
// and lb01, touching only /tmp/provision-report-test there, recorded in a temp history folder.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPage, type PageSession } from './helpers/chromium.js';
import { provision, recap } from './helpers/cli.js';
import { describeLab, labInventory, sshRun } from './helpers/lab.js';

const secret = `pw-${randomBytes(8).toString('hex')}`;
const scratch = '/tmp/provision-report-test';
const hosts = ['web02', 'lb01'] as const;

describeLab('the HTML report of a lab run, in Chromium', () => {
  let work: string;
  let reportFile: string;
  let page: PageSession;
  const runWith = (version: number, ...extra: string[]) =>
    provision([
      'run', 'test/fixtures/integration/report.yaml', '-i', labInventory,
      '-e', `version=${version}`, '-e', `report_api_password=${secret}`,
      '--diff', '--json', '--no-retry-file', '--history-dir', join(work, 'history'), ...extra,
    ]);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'provision-report-it-'));
    for (const h of hosts) sshRun(h, `rm -rf ${scratch}`);
    const first = runWith(1);
    expect(first.code, first.stderr).toBe(2);
    reportFile = join(work, 'run.html');
    const second = runWith(2, '--report', reportFile);
    expect(second.code, second.stderr).toBe(2);
    expect(recap(second).lb01?.failed).toBe(1);
    page = await openPage(reportFile);
  });

  afterAll(async () => {
    await page?.close();
    for (const h of hosts) sshRun(h, `rm -rf ${scratch}`);
    rmSync(work, { recursive: true, force: true });
  });

  const visibleText = () => page.evaluate<string>('document.body.innerText');

  it('the history holds both runs and no secret; `provision report` writes the same page as --report', () => {
    const files = readdirSync(join(work, 'history'));
    expect(files).toHaveLength(2);
    for (const f of files) expect(readFileSync(join(work, 'history', f), 'utf8')).not.toContain(secret);
    const again = provision(['report', '--history-dir', join(work, 'history'), '-o', join(work, 'again.html')]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(work, 'again.html'), 'utf8')).toBe(readFileSync(reportFile, 'utf8'));
  });

  it('shows every host, with its recap', async () => {
    const rows = await page.evaluate<string[]>(`[...document.querySelectorAll('#recap tbody tr')].map((tr) => tr.innerText.replace(/\\s+/g, ' ').trim())`);
    // host, ok, changed, failed, skipped, unreachable, ignored (inventory order): the ignored failure
    // counts as ok, as in Ansible.
    expect(rows).toEqual([expect.stringMatching(/^lb01 1 2 1 1 0 0 /), expect.stringMatching(/^web02 3 3 0 1 0 1 /)]);
    const text = await visibleText();
    for (const h of hosts) expect(text).toContain(h);
  });

  it("shows a changed task's diff (version 1 to 2) and what changed since the previous run", async () => {
    const changes = await page.evaluate<string>(`document.querySelector('#changes').innerText`);
    expect(changes).toMatch(/web02 · write the settings file/);
    // The copy rewrites the file (version 2, no mode line), then lineinfile adds mode=v2.
    expect(changes).toContain('-version=1\n+version=2');
    expect(changes).toContain('-mode=v1');
    expect(changes).toContain('+mode=v2');
    expect(changes).toContain('api_password=********');
    const compare = await page.evaluate<string>(`document.querySelector('#compare').innerText`);
    expect(compare).toMatch(/Compared with the previous run \S+-report-\d+/);
  });

  it("shows each failure's message", async () => {
    const failures = await page.evaluate<string>(`document.querySelector('#failures').innerText`);
    expect(failures).toContain('lb01 refuses version 2 on purpose');
    expect(failures).toMatch(/failed \(ignored\)\s+web02 · probe that fails on web02/);
    expect(failures).toContain('probe-failed-on-web02');
  });

  it('shows no secret, anywhere in the page', async () => {
    const html = await page.evaluate<string>('document.documentElement.outerHTML');
    expect(html).not.toContain(secret);
    // The debug task's message is in its (collapsed) task: expand the tasks as a reader would.
    expect(await visibleText()).not.toContain('the password is');
    await page.evaluate(`document.getElementById('f-open').click()`);
    const text = await visibleText();
    expect(text).toContain('the password is ********');
    expect(text).not.toContain(secret);
    await page.evaluate(`document.getElementById('f-close').click()`);
  });

  it('filters by host and status as a person would click', async () => {
    await page.evaluate(`(() => { const s = document.getElementById('f-host'); s.value = 'lb01'; s.dispatchEvent(new Event('change')); })()`);
    let failures = await page.evaluate<string>(`document.querySelector('#failures').innerText`);
    expect(failures).toContain('lb01 refuses');
    expect(failures).not.toContain('probe-failed-on-web02');
    await page.evaluate(`(() => { const b = document.querySelector('input[data-status="failed"]'); b.click(); })()`);
    failures = await page.evaluate<string>(`document.querySelector('#failures').innerText`);
    expect(failures).toContain('None with these filters.');
    await page.evaluate(`document.getElementById('f-reset').click()`);
    expect(await page.evaluate<string>(`document.querySelector('#failures').innerText`)).toContain('probe-failed-on-web02');
  });

  it('asks nothing of the network: the only request is the file itself', () => {
    expect(page.requests).toEqual([`file://${reportFile}`]);
  });

  it('would have seen a request: the same page with one image from an address does make one', async () => {
    const poisoned = join(work, 'poisoned.html');
    writeFileSync(poisoned, readFileSync(reportFile, 'utf8').replace('<body>', '<body><img src="http://127.0.0.1:9/probe.png">'));
    const other = await openPage(poisoned);
    try {
      expect(other.requests).toContain('http://127.0.0.1:9/probe.png');
    } finally {
      await other.close();
    }
  });

  it('renders within a second', async () => {
    const timing = () => page.evaluate<{ domContentLoadedEventEnd: number; loadEventEnd: number }>(`performance.getEntriesByType('navigation')[0].toJSON()`);
    const cold = await timing();
    await page.reload();
    const warm = await timing();
    console.log(`report render: first load ${cold.loadEventEnd.toFixed(0)} ms (browser just started), again ${warm.loadEventEnd.toFixed(0)} ms`);
    expect(warm.loadEventEnd).toBeGreaterThan(0);
    expect(warm.loadEventEnd).toBeLessThan(1000);
  });
});
