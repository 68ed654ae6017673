// wait_for: poll read-only probes (a TCP port from the host, a path, a regex in a file) until the
// condition holds, or fail after `timeout` seconds. Each poll is a fresh probe (its key carries the
// attempt number) because facts are memoised within a task.

import { z } from 'zod';
import { fileContent, pathExists } from '../facts/files.js';
import { portState } from '../facts/network.js';
import type { Probe } from '../facts/types.js';
import { argSpec } from './arg-spec.js';
import { int } from './args.js';
import { isValidPyRegExp, pyRegExp } from './pyregex.js';
import { defineModule, type ModuleContext, type Plan } from './types.js';

const seconds = () => int(z.number().int().nonnegative());

const args = argSpec(
  {
    host: z.string().min(1).regex(/^[A-Za-z0-9_.:-]+$/, 'a host name or address').default('127.0.0.1'),
    port: int(z.number().int().min(1).max(65535)).optional(),
    path: z.string().min(1).optional(),
    search_regex: z.string().refine(isValidPyRegExp, { message: 'invalid regular expression' }).optional(),
    state: z.enum(['started', 'stopped', 'present', 'absent']).default('started'),
    timeout: seconds().default(300),
    delay: seconds().default(0),
    sleep: seconds().default(1),
    connect_timeout: seconds().default(5),
    msg: z.string().optional(),
  },
  { mutuallyExclusive: [['port', 'path']], requiredBy: { search_regex: ['path'] } },
);

type Args = z.output<typeof args>;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

function withAttempt<T>(probe: Probe<T>, attempt: number): Probe<T> {
  return { ...probe, key: `${probe.key}#${attempt}` };
}

/** One poll: does the wanted condition hold now? */
async function holds(a: Args, ctx: ModuleContext, attempt: number): Promise<boolean> {
  const wantPresent = a.state === 'started' || a.state === 'present';
  if (a.port !== undefined) {
    const state = await ctx.facts.get(withAttempt(portState(a.host, a.port, { timeoutSeconds: a.connect_timeout }), attempt));
    return (state === 'open') === wantPresent;
  }
  if (a.path !== undefined) {
    if (a.search_regex !== undefined) {
      const file = await ctx.facts.get(withAttempt(fileContent(a.path), attempt));
      const found = file.exists && pyRegExp(a.search_regex).test(file.content.toString('utf8'));
      return found === wantPresent;
    }
    return (await ctx.facts.get(withAttempt(pathExists(a.path), attempt))) === wantPresent;
  }
  return true; // neither port nor path: only the delay (Ansible's "sleep for N seconds")
}

export async function planWaitFor(a: Args, ctx: ModuleContext, clock: Clock): Promise<Plan> {
  const start = clock.now();
  // Check mode does not wait: one poll tells what a real run would find now.
  if (ctx.check) {
    const ok = await holds(a, ctx, 0);
    return { actions: [], reason: ok ? 'condition holds' : 'condition does not hold yet (check mode does not wait)' };
  }
  if (a.delay > 0) await clock.sleep(a.delay * 1000);
  for (let attempt = 0; ; attempt++) {
    if (await holds(a, ctx, attempt)) {
      return { actions: [], result: { elapsed: Math.round((clock.now() - start) / 1000), state: a.state } };
    }
    if (clock.now() - start >= a.timeout * 1000) break;
    await clock.sleep(a.sleep * 1000);
  }
  const what = a.port !== undefined ? `${a.host}:${a.port}` : (a.path ?? 'condition');
  return { actions: [], failed: a.msg ?? `Timeout when waiting for ${what} to be ${a.state}`, result: { elapsed: Math.round((clock.now() - start) / 1000) } };
}

export default defineModule({
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for'],
  args,
  plan: (a, ctx) => planWaitFor(a, ctx, realClock),
});
