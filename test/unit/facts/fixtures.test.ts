// Every fact fixture through its probe (pyinfra's tests/test_facts.py): the probe built with the
// fixture's arguments must still send the command the output was captured with (a changed probe makes
// its fixtures fail until they are captured again), and its parser must turn that output into the fact
// written by hand in the fixture.
import { describe, expect, it } from 'vitest';
import * as files from '../../../src/facts/files.js';
import * as mysql from '../../../src/facts/mysql.js';
import * as network from '../../../src/facts/network.js';
import * as packages from '../../../src/facts/packages.js';
import * as services from '../../../src/facts/services.js';
import * as sysctl from '../../../src/facts/sysctl.js';
import type { Probe } from '../../../src/facts/types.js';
import * as ufw from '../../../src/facts/ufw.js';
import * as users from '../../../src/facts/users.js';
import { factFixtureNames, loadFactFixture } from './fixture.js';

/** Every export of src/facts/, by name: a fixture's `probe` names one of its probe factories. */
const exportsByName: Record<string, unknown> = { ...files, ...mysql, ...network, ...packages, ...services, ...sysctl, ...ufw, ...users };

function probeFor(name: string, factory: string, args: unknown[]): Probe<unknown> {
  const make = exportsByName[factory];
  if (typeof make !== 'function') throw new Error(`${name}: src/facts/ exports no probe factory ${factory}`);
  const probe = (make as (...a: unknown[]) => unknown)(...args) as Probe<unknown>;
  if (typeof probe?.command !== 'string' || typeof probe.parse !== 'function') throw new Error(`${name}: ${factory}(...) is not a probe`);
  return probe;
}

describe('fact fixtures', () => {
  const names = factFixtureNames();
  it('there are fixtures to check', () => expect(names.length).toBeGreaterThan(40));

  it.each(names)('%s', (name) => {
    const f = loadFactFixture(name);
    const probe = probeFor(name, f.probe, f.args);
    expect(probe.command, `${name}: the probe's command changed since the output was captured`).toBe(f.command);
    const result = { code: f.exitCode, stdout: f.stdout, stderr: f.stderr };
    if (f.error !== undefined) {
      expect(() => probe.parse(result)).toThrow(new RegExp(f.error));
    } else {
      expect('fact' in f, `${name}: no expected fact`).toBe(true);
      expect(probe.parse(result)).toEqual(f.fact);
    }
  });
});
