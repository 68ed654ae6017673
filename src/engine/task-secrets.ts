// What each task teaches the run's mask, without walking every variable of every task again. A layer
// of variables (a role's defaults, the host's inventory vars, its runtime vars...) is scanned once per
// version: its plain secrets are learnt then; only its templated secrets are rendered per task, and
// only where the layer's value is the one the task sees (not overridden by a higher layer).

import { PRECEDENCE, type VarLayers } from '../core/vars.js';
import { renderedSecretParts, scanSecrets, type SecretScan, type ValueRenderer } from './secrets.js';

export class TaskSecretLearner {
  private readonly scans = new WeakMap<object, { version: number; scan: SecretScan }>();

  constructor(private readonly learn: (values: readonly string[]) => void) {}

  /**
   * `all`: the variables the task sees (the layers merged); `versionOf`: a number that changes when a
   * layer's object is changed in place (the host's runtime vars), 0 for layers that never are.
   */
  learnFrom(layers: VarLayers, all: Record<string, unknown>, versionOf: (layer: keyof VarLayers) => number, render: ValueRenderer): void {
    const rendered: string[] = [];
    for (const name of PRECEDENCE) {
      const layer = layers[name];
      if (!layer) continue;
      const scan = this.scanOf(layer, versionOf(name));
      for (const { key, value } of scan.templated) if (all[key] === layer[key]) renderedSecretParts(value, render, rendered);
    }
    if (rendered.length > 0) this.learn(rendered);
  }

  private scanOf(layer: Record<string, unknown>, version: number): SecretScan {
    const known = this.scans.get(layer);
    if (known?.version === version) return known.scan;
    const scan = scanSecrets(layer);
    this.scans.set(layer, { version, scan });
    // Learnt once per version: the mask keeps every secret for the rest of the run.
    if (scan.plain.length > 0) this.learn(scan.plain);
    return scan;
  }
}
