// Opens a page in a real headless Chromium (Debian's `chromium`) and drives it over the DevTools
// protocol on a pipe (--remote-debugging-pipe: messages are JSON, each ended by a NUL byte, on the
// child's fd 3 and 4), so a test sees what a person would and every request the page makes.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

export interface PageSession {
  /** Every URL the page asked for (the document itself included), in order. */
  requests: string[];
  /** A JavaScript expression's value in the page. */
  evaluate<T>(expression: string): Promise<T>;
  /** Loads the page again (a warm browser: what opening a report in a running browser costs). */
  reload(): Promise<void>;
  /** A PNG of the page's first `height` pixels. */
  screenshot(width: number, height: number): Promise<Buffer>;
  close(): Promise<void>;
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

export async function openPage(file: string, options: { width?: number; height?: number; timeoutMs?: number } = {}): Promise<PageSession> {
  const profile = mkdtempSync(join(tmpdir(), 'provision-chromium-'));
  const child: ChildProcess = spawn(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      `--window-size=${options.width ?? 1280},${options.height ?? 900}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  let nextId = 1;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const p = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) p.reject(new Error(`DevTools: ${message.error.message}`));
        else p.resolve(message);
      } else for (const l of listeners) l(message);
    }
  });
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.slice(-2000)}`))));
  exited.catch(() => undefined);
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Message> => {
    const id = nextId++;
    const reply = new Promise<Message>((resolve, reject) => pending.set(id, { resolve, reject }));
    toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return Promise.race([reply, exited]);
  };
  const waitFor = (method: string, sessionId: string): Promise<Message> =>
    Promise.race([
      new Promise<Message>((resolve) => listeners.push((m) => m.method === method && m.sessionId === sessionId && resolve(m))),
      exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${method} within ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000).unref()),
    ]);

  const requests: string[] = [];
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })).result as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })).result as { sessionId: string };
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      if (m.method === 'Network.requestWillBeSent') requests.push((m.params?.request as { url: string }).url);
      if (m.method === 'Network.webSocketCreated') requests.push(m.params?.url as string);
    });
    await send('Network.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    const navigate = async (): Promise<void> => {
      const loaded = waitFor('Page.loadEventFired', sessionId);
      await send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
      await loaded;
    };
    await navigate();
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)).result as {
        result: { value: T };
        exceptionDetails?: { text: string };
      };
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text} (${expression})`);
      return r.result.value;
    };
    return {
      requests,
      evaluate,
      reload: navigate,
      async screenshot(width, height) {
        await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
        const r = (await send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width, height, scale: 1 } }, sessionId)).result as { data: string };
        return Buffer.from(r.data, 'base64');
      },
      async close() {
        await send('Browser.close').catch(() => undefined);
        await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child.kill();
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
