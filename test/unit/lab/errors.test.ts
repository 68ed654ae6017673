// What `provision lab` tells the user for each exit code of vagrant/lab.sh.

import { describe, expect, it } from 'vitest';
import { labFailure } from '../../../src/lab/errors.js';

describe('labFailure', () => {
  it('names the ACME server when lab.sh exits 18 (vagrant/acme.sh could not start pebble)', () => {
    const err = labFailure('up', 18);
    expect(err.message).toMatch(/^lab up failed \(lab\.sh exit code 18\): the lab's ACME server \(pebble, vagrant\/acme\.sh\)/);
    expect(err.scriptExitCode).toBe(18);
  });

  it('falls back to the script\'s own messages for an unknown code', () => {
    expect(labFailure('status', 99).message).toBe('lab status failed (lab.sh exit code 99): see the messages above');
  });
});
