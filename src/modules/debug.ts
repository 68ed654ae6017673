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

/** Keys of a debug result that are not a variable shown by `var:` (the message and the engine's flags). */
const RESULT_FIELDS = new Set(['msg', 'changed', 'failed', 'skipped', 'skip_reason', 'attempts']);

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
  display: (result) => {
    // `var: NAME` shows `"NAME": VALUE` as Ansible does; the result's first key is NAME (see plan).
    const name = Object.keys(result).find((key) => !RESULT_FIELDS.has(key));
    return name === undefined ? debugText(result.msg) : `${JSON.stringify(name)}: ${JSON.stringify(result[name], null, 2)}`;
  },
  async plan(a, ctx) {
    if (a.verbosity > ctx.verbosity) return { actions: [], skipped: 'Verbosity threshold not met.' };
    if (a.var !== undefined) {
      // The variable's value, not its template source (`x: "<%= y %>"` shows y's value, as Ansible does).
      const value = lookupVar(ctx.host.vars, a.var);
      const shown = value === UNDEFINED ? 'VARIABLE IS NOT DEFINED!' : ctx.renderValue(value);
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
