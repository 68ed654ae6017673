// debug: print a message, or a variable given by NAME (looked up in the host's variables, with
// dotted paths and [index]), as Ansible does; with `verbosity: N`, only when the run has at least N -v
// (otherwise skipped, as Ansible's debug action plugin does).

import { z } from 'zod';
import { argSpec } from './arg-spec.js';
import { int } from './args.js';
import { defineModule } from './types.js';

const args = argSpec(
  {
    msg: z.unknown().optional(),
    var: z.string().min(1).optional(),
    verbosity: int(z.number().int().nonnegative()).default(0),
  },
  { mutuallyExclusive: [['msg', 'var']] },
);

const UNDEFINED = Symbol('undefined');

/** `a.b[0].c` or `a['b']` over the variables. */
export function lookupVar(vars: Record<string, unknown>, path: string): unknown {
  const parts = path.match(/[^.[\]'"]+/g) ?? [];
  let value: unknown = vars;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !(part in value)) return UNDEFINED;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export default defineModule({
  name: 'debug',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.builtin.debug'],
  args,
  display: (result) => debugText(result.msg),
  async plan(a, ctx) {
    if (a.verbosity > ctx.verbosity) return { actions: [], skipped: 'Verbosity threshold not met.' };
    if (a.var !== undefined) {
      const value = lookupVar(ctx.host.vars, a.var);
      const shown = value === UNDEFINED ? 'VARIABLE IS NOT DEFINED!' : value;
      return { actions: [], result: { [a.var]: shown, msg: typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2) } };
    }
    // A msg given that renders to undefined fails, as in Ansible; only a msg not given at all says hello.
    if ('msg' in a && a.msg === undefined) return { actions: [], failed: "The task's msg renders to an undefined value" };
    return { actions: [], result: { msg: a.msg ?? 'Hello world!' } };
  },
});

function debugText(msg: unknown): string | undefined {
  if (msg === undefined) return undefined;
  return typeof msg === 'string' ? msg : JSON.stringify(msg, null, 2);
}
