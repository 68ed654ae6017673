// Collects independent input errors (one per task, play, file...) so a run reports them all at once.

import { InputError, InputErrors } from '../errors.js';

export class Problems {
  readonly errors: InputError[] = [];

  add(err: InputError): void {
    this.errors.push(err);
  }

  /** Runs `fn`; an InputError (or several) is recorded instead of thrown. Returns undefined then. */
  guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof InputErrors) this.errors.push(...err.errors);
      else if (err instanceof InputError) this.errors.push(err);
      else throw err;
      return undefined;
    }
  }

  /** Throws what was collected; the same mistake found twice (a role or task file loaded by two plays) is told once. */
  throwIfAny(): void {
    const seen = new Set<string>();
    const unique = this.errors.filter((e) => !seen.has(e.message) && Boolean(seen.add(e.message)));
    if (unique.length === 1 && unique[0]) throw unique[0];
    if (unique.length > 1) throw new InputErrors(unique);
  }
}
