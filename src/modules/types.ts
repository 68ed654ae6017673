// A module is a zod schema for its arguments plus a read-only plan: it reads the host through
// facts and returns what it would do as data. The engine executes the actions (or not, in check
// mode), so `--check` can never drift from a real run.

import type { z } from 'zod';
import type { FactReader } from '../facts/types.js';

export interface ExecAction {
  kind: 'exec';
  /** Shell command line, run with become when the task asks for it. */
  command: string;
  /** Bytes for the command's stdin: the only way secrets reach a command. */
  stdin?: string | Buffer;
  /** Mask the command, its stdin and its output in every report. */
  sensitive?: boolean;
  /** Exit codes that mean success (default [0]). */
  okCodes?: number[];
  /** Short human description for reports, e.g. "apt-get install nginx". */
  describe?: string;
}

export interface PutAction {
  kind: 'put';
  path: string;
  content: string | Buffer;
  /** Octal string like "0644"; when absent an existing file keeps its mode, a new one gets 0644. */
  mode?: string;
  owner?: string;
  group?: string;
  /** Command with %s for the temporary file, run before the rename (e.g. `nginx -t -c %s`). */
  validate?: string;
  /** Keep the previous file as PATH.TIMESTAMP~ before replacing it (its name is printed on stdout). */
  backup?: boolean;
  /** Create missing parent directories first (lineinfile/blockinfile `create`, copy to `dir/`), as Ansible does. */
  makeParents?: boolean;
  sensitive?: boolean;
}

export type Action = ExecAction | PutAction;

export interface FileDiff {
  path?: string;
  before: string;
  after: string;
  /** Set by the run's masking (never by a module): the sides differed only in secrets, now masked alike. */
  only_secrets_differ?: true;
}

export interface Plan {
  /** What to do; empty means the host is already as asked (status ok). */
  actions: Action[];
  /** before/after, returned only when ctx.diff is true. */
  diff?: FileDiff[];
  /** Why the plan is what it is, for humans ("nginx 1.22.1 already installed"). */
  reason?: string;
  /** Values merged into the task's registered result (e.g. stat, msg). */
  result?: Record<string, unknown>;
  /**
   * The task is skipped on this host, for this reason (status skipped, nothing executed), e.g. a
   * command in check mode, a debug message above the run's verbosity.
   */
  skipped?: string;
  /** Host variables to set for the rest of the run (set_fact). */
  facts?: Record<string, unknown>;
  /** The task fails with this message (assert, fail, a precondition that is not met). */
  failed?: string;
  /** Module that must run even in check mode (its actions are read-only, e.g. command with check_mode: false). */
  runInCheckMode?: boolean;
  /** Treat as changed even with no actions (e.g. debug never is; a forced restart is an action). */
  changed?: boolean;
  /** What the task asks of the play's run besides its result (meta's flush_handlers, end_host, ...). */
  control?: ControlRequest;
}

/**
 * A request to the engine's play runner, the one seam between a module and the order tasks run in:
 * run the notified handlers now, or end the play for this host, this batch or every batch.
 */
export type ControlRequest = 'flush_handlers' | 'end_host' | 'end_batch' | 'end_play';

export interface HostView {
  name: string;
  /** All variables visible to the task, already merged by precedence. */
  vars: Record<string, unknown>;
}

export interface ModuleContext {
  host: HostView;
  facts: FactReader;
  check: boolean;
  diff: boolean;
  /** How verbose the run is (the number of -v flags). */
  verbosity: number;
  /** Read a file on the control machine, resolved against the role's files/ (or templates/) then the playbook dir. */
  readLocalFile(path: string, kind: LocalFileKind): Promise<Buffer>;
  /** Render an EJS template text with the task's variables. */
  renderTemplate(text: string, sourceName: string): Promise<string>;
  /** A variable's value as the task sees it: templates in it (strings in lists and mappings too) rendered. */
  renderValue(value: unknown): unknown;
}

export interface LocalSource {
  /** The argument that names the file. */
  arg: string;
  /** Where it is looked up: a role's files/ or templates/ (templates are rendered with the task's variables). */
  kind: LocalFileKind;
}

export type LocalFileKind = 'files' | 'templates';

/** What messages call a file of each kind ("file 'x' not found", "template 'y' not found"). */
export const localFileNoun: Readonly<Record<LocalFileKind, string>> = { files: 'file', templates: 'template' };

export interface ModuleDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Other names that select this module (e.g. `ansible.builtin.copy`). */
  aliases?: string[];
  args: S;
  /** The module accepts a free-form string (`command: ls -l`) mapped to this argument. */
  freeForm?: string;
  /**
   * Arguments whose values are conditions (a condition or a list of them), like `when`: the engine
   * evaluates them to booleans instead of rendering them, and validation checks their variables.
   */
  conditionArgs?: readonly string[];
  /** A file on the control machine this module reads (copy's `src`): checked to exist when the playbook loads. */
  localSource?: LocalSource;
  /** Names of the host variables a task defines at run time (set_fact's keys), from its unrendered args. */
  definesVariables?(args: unknown): string[];
  /** Text the task exists to show (debug's message), from its registered result; shown at every verbosity. */
  display?(result: Readonly<Record<string, unknown>>): string | undefined;
  /** Its results are not counted in the recap (Ansible's meta tasks are not). */
  uncounted?: boolean;
  /** Why this module cannot be a handler, when it cannot (meta: handlers do not run in the task order). */
  notAHandler?: string;
  /** Task keywords this module cannot take, each with the reason given at load time (meta and `loop`). */
  refusedKeywords?: Readonly<Record<string, string>>;
  /**
   * The plan is a pure function of the arguments, the variables and the probes read at one instant
   * (no waiting, no clock, no state outside the host that changes by itself): the engine may compute
   * it ahead, together with the tasks around it, and use it if nothing happened on the host since.
   */
  prefetchable?: true;
  /**
   * Whether a task with these arguments (as written, before rendering) executes actions whenever it
   * is not in check mode (a command with no creates or removes): the host may change after it, so the
   * engine plans nothing ahead past it (probe-window.ts).
   */
  actsEveryTime?(args: Readonly<Record<string, unknown>>): boolean;
  /** Read-only: decide what to do on this host. */
  plan(args: z.output<S>, ctx: ModuleContext): Promise<Plan>;
  /** Shape the registered result from the executed actions' outputs (command: rc/stdout/stderr). */
  interpret?(args: z.output<S>, outputs: ActionOutput[]): Record<string, unknown>;
}

export interface ActionOutput {
  action: Action;
  code: number;
  stdout: string;
  stderr: string;
}

export function defineModule<S extends z.ZodType>(def: ModuleDefinition<S>): ModuleDefinition<S> {
  return def;
}
