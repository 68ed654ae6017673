// provision exec 'COMMAND' -i INVENTORY --limit HOSTS: an ad hoc shell command on many hosts,
// printed per host like `ansible -m shell`.

import type { Command } from 'commander';
import type { syntheticTask as SyntheticTask } from '../../core/playbook/synthetic-task.js';
import type { Playbook } from '../../core/playbook/types.js';
import type { RunEvent } from '../../engine/events.js';
import { addRunFlags, type RunFlags } from '../run-flag-declarations.js';

function adHocPlaybook(syntheticTask: typeof SyntheticTask, command: string, hosts: string, become: boolean): Playbook {
  const location = { file: '<command line>' };
  const task = syntheticTask({
    name: command,
    module: 'shell',
    args: { cmd: command },
    retries: 3,
    delaySeconds: 5,
    baseDir: process.cwd(),
    location,
  });
  return {
    path: '<command line>',
    dir: process.cwd(),
    plays: [
      {
        name: `exec on ${hosts}`,
        hosts,
        become,
        vars: {},
        body: [{ kind: 'task', task }],
        tasks: [task],
        handlers: [],
        strategy: 'linear',
        gatherFacts: false,
        roles: [],
        location,
        hostsLocation: { file: '--hosts' },
      },
    ],
  };
}

export function registerExecCommand(program: Command): void {
  const cmd = program
    .command('exec')
    .description('run a shell command on the hosts (ad hoc)')
    .argument('<command>', 'shell command line')
    .option('--hosts <PATTERN>', 'hosts to run on (before --limit)', 'all')
    .option('-b, --become', 'run as root through sudo');
  addRunFlags(cmd, { playbookFlags: false }).action(async (command: string, flags: RunFlags & { hosts: string; become?: boolean }) => {
    // Imported when the command runs, so --help loads nothing heavy.
    const [{ syntheticTask }, { executePlaybook }, { resolveInventory }, { toRunOptions }, { setExitCode }] = await Promise.all([
      import('../../core/playbook/synthetic-task.js'),
      import('../execute.js'),
      import('../inventory-arg.js'),
      import('../run-flags.js'),
      import('../exit.js'),
    ]);
    const options = toRunOptions(flags, { retryFile: false });
    const inventory = resolveInventory(flags.inventory);
    const playbook = adHocPlaybook(syntheticTask, command, flags.hosts, flags.become ?? false);
    const print = (e: RunEvent): void => {
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      if (e.type === 'result') {
        const label = e.status === 'unreachable' ? 'UNREACHABLE' : e.status === 'failed' ? 'FAILED' : 'CHANGED';
        const body = e.status === 'unreachable' ? (e.msg ?? '') : [e.stdout, e.stderr].filter(Boolean).join('\n');
        process.stdout.write(`${e.host} | ${label} >>\n${body.replace(/\n$/, '')}\n`);
      } else if (e.type === 'warning') {
        process.stderr.write(`warning: ${e.message}\n`);
      }
    };
    setExitCode(await executePlaybook(playbook, inventory, options, flags, print));
  });
}
