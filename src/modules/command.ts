// command: run a program without a shell (Ansible semantics): a free-form string is split into words
// like Python's shlex and every word is quoted, so |, > and ; reach the program literally; as in
// ansible-core, $VAR, ${VAR} and a leading ~ are expanded in each word (expand-argument.ts).

import { argSpec } from './arg-spec.js';
import { expandingCommandLine } from './expand-argument.js';
import { cmdOrArgv, runsEveryTime, commandArgs, interpretCommand, planCommand } from './run-command.js';
import { shlexSplit } from './shlex.js';
import { defineModule } from './types.js';

const args = argSpec(commandArgs, {
  ...cmdOrArgv,
  checks: [
    [
      (a) => {
        if (a.cmd === undefined) return true;
        try {
          return shlexSplit(a.cmd).length > 0;
        } catch {
          return false;
        }
      },
      'the command has an unclosed quote or is empty',
    ],
  ],
});

function argvOf(a: { cmd?: string | undefined; argv?: string[] | undefined }): string[] {
  return a.argv ?? shlexSplit(a.cmd ?? '');
}

export default defineModule({
  name: 'command',
  // Plans from its arguments and probes only: may be planned ahead (plan-prefetch.ts).
  prefetchable: true,
  actsEveryTime: runsEveryTime,
  aliases: ['ansible.builtin.command'],
  args,
  freeForm: 'cmd',
  plan(a, ctx) {
    const argv = argvOf(a);
    return planCommand(a, expandingCommandLine(argv), a.cmd ?? argv.join(' '), ctx);
  },
  interpret(a, outputs) {
    return interpretCommand(argvOf(a), a.strip_empty_ends, outputs);
  },
});
