// Everything the engine remembers about one host during a run.

import type { Transport } from '../transport/types.js';
import type { HostCounts } from './events.js';

export class HostState {
  /** Registered results, set_fact values and gathered facts: they outrank play vars. */
  readonly runtimeVars: Record<string, unknown> = {};
  readonly counts: Required<HostCounts> = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
  /** Handler names/topics notified and not yet run. */
  readonly notified = new Set<string>();
  /** Notifications an earlier run recorded on the host and that have not run yet (pending-handlers.ts). */
  pendingFromHost: string[] = [];
  failed = false;
  unreachable = false;
  /** Facts were gathered in this run: a later play's gathering reuses them (Ansible's `gathering = smart`). */
  factsGathered = false;
  /** The play ended for this host without failing it (meta end_host/end_batch/end_play); reset by the next play. */
  ended = false;
  transport?: Transport;
  private connecting?: Promise<Transport>;
  /**
   * Bumped whenever the host may have changed (actions ran on it, a task failed on it): a plan
   * computed ahead (plan-prefetch.ts) is used only under the same epoch. Setting variables changes
   * nothing on the host: it moves `varsVersion` only.
   */
  epoch = 0;
  /** Bumped when the host's runtime variables change (they reach other hosts' tasks through hostvars). */
  varsVersion = 0;

  constructor(
    readonly name: string,
    readonly inventoryVars: Record<string, unknown>,
    private readonly open: (state: HostState) => Transport,
    /** Run once the connection is open, before anything uses it (the run lock). */
    private readonly prepare: (state: HostState, transport: Transport) => Promise<void> = async () => undefined,
  ) {}

  /** Sets run-time variables (register, set_fact, facts, rescue's): the one way they are written. */
  setVars(values: Readonly<Record<string, unknown>>): void {
    Object.assign(this.runtimeVars, values);
    this.varsVersion++;
  }

  /** Something happened on the host (actions executed, a failure): what was probed before may be stale. */
  touch(): void {
    this.epoch++;
  }

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }

  /** The host's one connection, opened on first use and reused for the whole run. */
  connection(): Promise<Transport> {
    if (!this.connecting) {
      const transport = this.open(this);
      this.connecting = transport
        .connect()
        .then(() => this.prepare(this, transport))
        .then(
          () => {
            this.transport = transport;
            return transport;
          },
          async (error: unknown) => {
            await transport.close().catch(() => undefined);
            throw error;
          },
        );
      // A failed connect may be retried by a later play (e.g. a host that came back).
      this.connecting.catch(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }
}
