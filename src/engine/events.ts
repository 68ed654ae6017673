// Typed events the engine emits. The engine never imports a reporter; reporters listen.

import type { FileDiff } from '../modules/types.js';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface HostCounts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  /** Failures in a block that its `rescue` took over (not counted as failed, as in Ansible). */
  rescued?: number;
  /** Tasks that failed but had ignore_errors (counted in ok/changed too, like Ansible's "ignored"). */
  ignored: number;
}

export type RunEvent =
  | { type: 'run_start'; playbook: string; check: boolean; diff: boolean; hosts: string[] }
  | { type: 'play_start'; play: string; hosts: string[]; /** 0-based batch index when `serial` splits the play. */
      batch?: { index: number; count: number } }
  | { type: 'task_start'; play: string; task: string; hosts: string[]; handler: boolean; location: string }
  | {
      type: 'result';
      host: string;
      task: string;
      status: TaskStatus;
      duration_ms: number;
      round_trips: number;
      handler: boolean;
      /** Loop item label when the task loops (one result per item, then one for the task). */
      item?: string;
      msg?: string;
      /** Text the task exists to show (debug's message), printed at every verbosity. */
      display?: string;
      diff?: FileDiff[];
      /** Commands the task ran, already masked when sensitive or no_log. */
      commands?: string[];
      stdout?: string;
      stderr?: string;
      ignored?: boolean;
      check: boolean;
    }
  /** `host` is set with `strategy: free`, where each host runs (and ends) a task on its own. */
  | { type: 'task_end'; play: string; task: string; host?: string }
  | { type: 'play_end'; play: string }
  | { type: 'warning'; host?: string; message: string }
  | {
      type: 'recap';
      hosts: Record<string, HostCounts>;
      duration_ms: number;
      retry_file?: string;
      /** Set when SIGINT/SIGTERM stopped the run: the hosts whose run it cut short. */
      interrupted?: { signal: string; hosts: string[] };
    };

/** How an include_tasks result's msg starts (`included: FILE, FILE`); the human reporters recognise it. */
export const INCLUDED_PREFIX = 'included: ';

export type EventListener = (event: RunEvent) => void;

export class EventBus {
  private readonly listeners: EventListener[] = [];
  on(listener: EventListener): void {
    this.listeners.push(listener);
  }
  emit(event: RunEvent): void {
    for (const l of this.listeners) l(event);
  }
}
