// The flags shared by `run`, `role` and `exec`, as declared to commander. Their translation into
// RunOptions (run-flags.ts) parses YAML and is loaded only when a command runs, not for --help.

import { Option, type Command } from 'commander';
import { defaultRunOptions } from '../engine/options.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../transport/defaults.js';

export interface RunFlags {
  inventory?: string;
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  extraVars?: string[];
  forks: string;
  startAtTask?: string;
  listHosts?: boolean;
  listTasks?: boolean;
  json?: boolean;
  forceHandlers?: boolean;
  trustOnFirstUse?: boolean;
  verbose: number;
  timeout: string;
  retryFile?: string | false;
  color?: boolean;
  rolesPath?: string[];
  vaultPasswordFile?: string;
  /** false with --no-history. */
  history?: boolean;
  historyDir?: string;
  report?: string;
  lockTimeout?: string;
  probeWindow?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
/** `--roles-path A:B` (repeatable), colon-separated like Ansible's roles_path. */
export const collectRolesPath = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(':').filter(Boolean)];
const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
];

export function addRunFlags(cmd: Command, options: { playbookFlags: boolean }): Command {
  cmd
    .option('-i, --inventory <FILE>', 'inventory file (Ansible YAML) or a host list "a,b,"')
    .option('-l, --limit <PATTERN>', 'only hosts matching this pattern (names, groups, globs, a:b, a:&b, a:!b, @FILE)')
    .option('-C, --check', 'predict changes without making them')
    .option('-D, --diff', 'show the differences in files and templates')
    .option('-e, --extra-vars <VARS>', 'key=value, @FILE.yaml or a YAML/JSON mapping (repeatable)', collect)
    .option('-f, --forks <N>', 'hosts worked on in parallel', '10')
    .option('--json', 'one JSON object a line on stdout')
    .option('--trust-on-first-use', 'accept and record unknown SSH host keys')
    .option('--vault-password-file <FILE>', 'password of the vault files read (first line); default: PROVISION_VAULT_PASSWORD, else a prompt')
    .option('-T, --timeout <SECONDS>', 'SSH connection timeout', String(DEFAULT_CONNECT_TIMEOUT_MS / 1000))
    .option('--lock-timeout <SECONDS>', "wait this long for another run's lock on a host (default: refuse at once)", '0')
    .option('--probe-window <N>', 'tasks a host plans together, their probes sent in shared round trips (1: one by one)', String(defaultRunOptions.probeWindow))
    .option('-v, --verbose', 'more output (repeatable)', (_v: string, prev: number) => prev + 1, 0)
    .option('--no-color', 'no colours in the output')
    .option('--no-history', 'do not record this run in the history (.provision/runs beside the playbook)')
    .option('--history-dir <DIR>', 'history folder (default: $PROVISION_HISTORY_DIR, else .provision/runs beside the playbook)')
    .option('--report <FILE.html>', 'write an HTML report of the run (self-contained) to FILE.html');
  if (options.playbookFlags) {
    cmd
      .option('-t, --tags <TAGS>', 'only tasks with these tags (comma-separated, repeatable)', collectList)
      .option('--skip-tags <TAGS>', 'skip tasks with these tags', collectList)
      .option('--roles-path <DIRS>', 'more directories to look for roles in, after roles/ (colon-separated, repeatable)', collectRolesPath)
      .option('--start-at-task <NAME>', 'start the playbook at the task with this name')
      .option('--list-hosts', 'list the hosts each play would run on, and stop')
      .option('--list-tasks', 'list the tasks each play would run, and stop')
      .option('--force-handlers', 'run notified handlers even on hosts that failed')
      .addOption(new Option('--retry-file <FILE>', 'where to write the hosts that failed (default: PLAYBOOK.retry)'))
      .option('--no-retry-file', 'do not write a retry file');
  }
  return cmd;
}
