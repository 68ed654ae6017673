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

  throwIfAny(): void {
    if (this.errors.length === 1 && this.errors[0]) throw this.errors[0];
    if (this.errors.length > 1) throw new InputErrors(this.errors);
  }
}
