// Steady load on www.foobar.com through the site's virtual address, as browsers would send it: a new
// TLS connection per request (so every request meets the current state of the load balancers), reads
// of /api/messages and writes of a message whose text is a unique token. Bounded in count and time, and
// only ever sent to the lab's virtual address (docs/LAB.md).

import { request } from 'node:https';
import type { RequestKind, RequestRecord } from './load-stats.js';

export const SITE_DOMAIN = 'www.foobar.com';
export const SITE_VIP = '192.168.56.100';

export interface LoadOptions {
  /** Requests a second (all kinds). */
  rate: number;
  /** One write every `writeEvery` requests (the others read). */
  writeEvery: number;
  /** PEM of the CA that signs the site's certificate (the lab's ACME root). */
  ca: string;
  /** Prefix of every write's token. */
  tokenPrefix: string;
  /** Each request gives up after this long. */
  timeoutMs: number;
  /** Hard stop, whatever happens: the load never runs longer. */
  maxDurationMs: number;
}

export class SiteLoad {
  readonly records: RequestRecord[] = [];
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private started = 0;
  private count = 0;
  private stopAt = 0;

  constructor(private readonly options: LoadOptions) {}

  /** ms since the load started. */
  now(): number {
    return Date.now() - this.started;
  }

  start(): void {
    this.started = Date.now();
    this.stopAt = this.started + this.options.maxDurationMs;
    const interval = 1000 / this.options.rate;
    this.timer = setInterval(() => {
      if (Date.now() >= this.stopAt) {
        this.halt();
        return;
      }
      this.count++;
      const kind: RequestKind = this.count % this.options.writeEvery === 0 ? 'write' : 'read';
      const p = this.send(kind).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, interval);
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<RequestRecord[]> {
    this.halt();
    await Promise.all([...this.inFlight]);
    return this.records;
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private send(kind: RequestKind): Promise<void> {
    const start = this.now();
    const token = kind === 'write' ? `${this.options.tokenPrefix}-${this.count}` : undefined;
    const body = token ? `text=${encodeURIComponent(token)}` : undefined;
    return new Promise((resolve) => {
      let settled = false;
      const done = (fields: Partial<RequestRecord> & { ok: boolean; status: number }) => {
        if (settled) return;
        settled = true;
        this.records.push({ kind, start, end: this.now(), ...(token ? { token } : {}), ...fields });
        resolve();
      };
      const req = request(
        {
          host: SITE_VIP,
          servername: SITE_DOMAIN,
          port: 443,
          method: kind === 'write' ? 'POST' : 'GET',
          path: kind === 'write' ? '/messages' : '/api/messages',
          ca: this.options.ca,
          agent: false,
          timeout: this.options.timeoutMs,
          headers: {
            Host: SITE_DOMAIN,
            ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('error', (e) => done({ ok: false, status: res.statusCode ?? 0, error: e.message }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const ok = kind === 'write' ? status === 303 : status === 200;
            let backend: string | undefined;
            try {
              backend = (JSON.parse(text) as { host?: string }).host;
            } catch {
              backend = undefined;
            }
            done({ ok, status, ...(backend ? { backend } : {}), ...(ok ? {} : { error: text.slice(0, 200) }) });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (e) => done({ ok: false, status: 0, error: e.message }));
      req.end(body);
    });
  }
}
