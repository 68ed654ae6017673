// Every play's `hosts:` must be a valid host pattern of the inventory (checked before any connection).

import { InputError, InputErrors, ProvisionError } from '../errors.js';
import { HostPatternError } from '../inventory/patterns.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook } from './types.js';

export function validatePlaybookHosts(playbook: Playbook, inventory: Inventory): void {
  const errors: InputError[] = [];
  for (const play of playbook.plays) {
    if (play.hosts.includes('<%')) continue;
    try {
      inventory.select(play.hosts);
    } catch (err) {
      if (!(err instanceof ProvisionError)) throw err;
      const detail = err instanceof InputError ? err.detail : err.message;
      // A HostPatternError's detail already reads "bad host pattern '...': ...".
      const message = err instanceof HostPatternError ? detail : `bad host pattern '${play.hosts}': ${detail}`;
      errors.push(new InputError(message, play.hostsLocation ?? play.location, err instanceof InputError ? err.hint : undefined));
    }
  }
  if (errors.length === 1 && errors[0]) throw errors[0];
  if (errors.length) throw new InputErrors(errors);
}
