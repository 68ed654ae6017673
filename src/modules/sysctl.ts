// sysctl: persist `name=value` in a sysctl file (Ansible's default /etc/sysctl.conf) and, when the
// file changes, reload it with `sysctl -p FILE`; with sysctl_set, also set the live value when it differs.

import { z } from 'zod';
import { quote } from '../core/shell.js';
import { parseYesNo } from '../core/yes-no.js';
import { fileContent } from '../facts/files.js';
import { normalizeSysctl, parseSysctlLine, sysctlValue } from '../facts/sysctl.js';
import { argSpec } from './arg-spec.js';
import { bool, scalarString } from './args.js';
import { textDiff } from './diff.js';
import { defineModule, type Action, type Plan } from './types.js';

const args = argSpec(
  {
    name: z.string().regex(/^[A-Za-z0-9_.\/-]+$/, 'a sysctl key such as net.ipv4.ip_forward'),
    value: scalarString().optional(),
    state: z.enum(['present', 'absent']).default('present'),
    sysctl_file: z.string().min(1).default('/etc/sysctl.conf'),
    reload: bool().default(true),
    sysctl_set: bool().default(false),
    ignoreerrors: bool().default(false),
  },
  { requiredIf: [['state', 'present', ['value']]] },
).transform((a) => ({ ...a, value: a.value === undefined ? undefined : boolToInt(a.value) }));

/** Ansible writes yes/no/true/false values as 1/0. */
function boolToInt(value: string): string {
  const yes = parseYesNo(value);
  return yes === undefined ? normalizeSysctl(value) : yes ? '1' : '0';
}

/** Ansible's rewrite: the first line for the key gets the value, later duplicates go, a missing key is appended. */
export function editSysctl(content: string, name: string, value: string | undefined): { content: string; changed: boolean } {
  const lines = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  let found = false;
  for (const line of lines) {
    const parsed = parseSysctlLine(line);
    if (!parsed || parsed.key !== name) {
      out.push(line);
      continue;
    }
    if (value !== undefined && !found) out.push(parsed.value === value ? line : `${name}=${value}\n`);
    found = true;
  }
  if (!found && value !== undefined) {
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out[out.length - 1] = `${last}\n`;
    out.push(`${name}=${value}\n`);
  }
  const result = out.join('');
  return { content: result, changed: result !== content };
}

export default defineModule({
  name: 'sysctl',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  aliases: ['ansible.posix.sysctl'],
  args,
  async plan(a, ctx) {
    const [file, live] = await ctx.facts.getAll([fileContent(a.sysctl_file), sysctlValue(a.name, a.sysctl_file)] as const);
    const before = file.exists ? file.content.toString('utf8') : '';
    const edit = editSysctl(before, a.name, a.state === 'present' ? a.value : undefined);
    const actions: Action[] = [];
    const plan: Plan = { actions };
    if (edit.changed) {
      actions.push({ kind: 'put', path: a.sysctl_file, content: Buffer.from(edit.content, 'utf8') });
      if (ctx.diff) {
        const diff = textDiff(a.sysctl_file, Buffer.from(before), Buffer.from(edit.content));
        if (diff) plan.diff = [diff];
      }
    }
    if (a.state === 'present' && a.value !== undefined && a.sysctl_set && live.current !== a.value) {
      actions.push({ kind: 'exec', command: `sysctl -w ${quote(`${a.name}=${a.value}`)}` });
    }
    if (edit.changed && a.reload) {
      actions.push({ kind: 'exec', command: `sysctl ${a.ignoreerrors ? '-e ' : ''}-p ${quote(a.sysctl_file)}` });
    }
    plan.reason = actions.length > 0 ? `${a.name} differs` : `${a.name} as asked`;
    return plan;
  },
});
