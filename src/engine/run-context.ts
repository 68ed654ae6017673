// Shared state of one run: options, inventory, hosts, the event bus, and the secrets to mask.

import type { Inventory } from '../core/inventory/types.js';
import { markSecretOnlyDiffs, processSecrets, Secrets, vaultSecrets } from '../core/mask.js';
import type { EventBus, RunEvent } from './events.js';
import type { HostState } from './host-state.js';
import type { RunOptions } from './options.js';
import { connectionSettingsFromVars, openTransport } from '../transport/index.js';
import { HostState as HostStateClass } from './host-state.js';
import { takeRunLock, type RunLockPlan } from './run-lock.js';
import { TaskSecretLearner } from './task-secrets.js';

export class RunContext {
  readonly hosts = new Map<string, HostState>();
  private readonly secrets = new Secrets();
  /** Set when the run must not go on (a serial batch whose every host failed, an interrupt): why. */
  stopped?: string;
  /** How hosts are locked for this run (set by the runner; unset: no lock). */
  runLock?: RunLockPlan;
  /** The signal that interrupted the run, and the hosts whose run it cut short. */
  interrupted?: { signal: string; hosts: string[] };
  /** Learns the secrets of each task's variables (task-vars.ts), each layer scanned once per version. */
  readonly taskSecrets = new TaskSecretLearner((values) => this.addSecrets(values));

  constructor(
    readonly inventory: Inventory,
    readonly options: RunOptions,
    private readonly bus: EventBus,
    readonly playbookDir: string,
  ) {
    // Vault values decrypted while loading the inventory and the playbook.
    this.secrets.addAll(vaultSecrets.list());
  }

  /** The state of a host, created on first use (play hosts, delegate_to targets, implicit localhost). */
  hostState(name: string): HostState {
    let state = this.hosts.get(name);
    if (!state) {
      const vars = this.inventory.hostVars(name);
      // Extra vars win over everything, connection variables included (Ansible's precedence).
      const connectionVars = { ...vars, ...this.options.extraVars };
      state = new HostStateClass(
        name,
        vars,
        () =>
          openTransport(
            connectionSettingsFromVars(name, connectionVars, {
              trustOnFirstUse: this.options.trustOnFirstUse,
              connectTimeoutMs: this.options.connectTimeoutMs,
              onHostKeyRecorded: (k) =>
                this.emit({ type: 'warning', host: k.host, message: `--trust-on-first-use recorded the SSH host key of ${k.host} (${k.address}:${k.port}): ${k.type} ${k.fingerprint} in ${k.file}` }),
            }),
          ),
        (host, transport) => (this.runLock ? takeRunLock(this.runLock, host, transport) : Promise.resolve()),
      );
      this.hosts.set(name, state);
      for (const key of ['ansible_become_password', 'ansible_become_pass', 'ansible_password', 'ansible_ssh_pass']) this.addSecret(connectionVars[key]);
    }
    return state;
  }

  /**
   * SIGINT/SIGTERM: no task starts any more, the commands in flight are ended on their hosts (their
   * whole process group); the hosts still running are recorded for the recap and the retry file.
   */
  async interrupt(signal: string): Promise<void> {
    if (this.interrupted) return;
    const hosts = [...this.hosts.values()].filter((h) => h.active).map((h) => h.name);
    this.interrupted = { signal, hosts };
    this.stopped = `interrupted by ${signal}`;
    this.emit({ type: 'warning', message: `interrupted by ${signal}: ending the tasks in flight on ${hosts.join(', ') || 'no host'}` });
    await Promise.allSettled([...this.hosts.values()].map((h) => h.transport?.interrupt()));
  }

  /** `hostvars[name]`: inventory variables plus what the run set (facts, registered results). */
  hostVariables(name: string): Record<string, unknown> {
    const state = this.hosts.get(name);
    return state ? { ...state.inventoryVars, ...state.runtimeVars } : this.inventory.hostVars(name);
  }

  /**
   * Changes whenever any host's run-time variables change: a task sees other hosts' through
   * `hostvars`, so a plan computed ahead is stale after any of them (plan-prefetch.ts).
   */
  varsStamp(): number {
    let sum = 0;
    for (const host of this.hosts.values()) sum += host.varsVersion;
    return sum;
  }

  addSecret(value: unknown): void {
    this.secrets.add(value);
    processSecrets.add(value);
  }

  addSecrets(values: Iterable<unknown>): void {
    for (const v of values) this.addSecret(v);
  }

  /** The known secrets in a text (to find the previous secret on the old side of a diff). */
  secretsIn(text: string): string[] {
    return this.secrets.occurringIn(text);
  }

  /** A text written outside the event stream (the retry file), masked like the events. */
  mask(text: string): string {
    return this.secrets.mask(text);
  }

  /** Every event passes through the mask once here, whatever the reporter: the only place output is masked. */
  emit(event: RunEvent): void {
    const masked = this.secrets.maskDeep(event);
    if (event.type === 'result' && masked.type === 'result' && event.diff && masked.diff && masked !== event) {
      markSecretOnlyDiffs(event.diff, masked.diff);
    }
    this.bus.emit(masked);
  }
}
