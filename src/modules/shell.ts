// shell: run a command line through a shell (bash, or `executable`), with pipes, redirections and
// variables; otherwise the same as command (creates/removes/chdir/stdin, check-mode skip).

import { z } from 'zod';
import { quote, quoteAll } from '../core/shell.js';
import { argSpec } from './arg-spec.js';
import { cmdOrArgv, runsEveryTime, commandArgs, interpretCommand, planCommand } from './run-command.js';
import { defineModule } from './types.js';

const args = argSpec({ ...commandArgs, executable: z.string().min(1).optional() }, cmdOrArgv);

function lineOf(a: { cmd?: string | undefined; argv?: string[] | undefined }): string {
  return a.cmd ?? quoteAll(a.argv ?? []);
}

export default defineModule({
  name: 'shell',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  actsEveryTime: runsEveryTime,
  aliases: ['ansible.builtin.shell'],
  args,
  freeForm: 'cmd',
  plan(a, ctx) {
    const line = lineOf(a);
    // The transport already runs command lines with bash -c; another shell is asked for explicitly.
    const command = a.executable !== undefined ? `${quote(a.executable)} -c ${quote(line)}` : line;
    return planCommand(a, command, line, ctx);
  },
  interpret(a, outputs) {
    return interpretCommand(lineOf(a), a.strip_empty_ends, outputs);
  },
});
