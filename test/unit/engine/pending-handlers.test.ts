// Handlers are never lost: notifications a failed run could not run are recorded on the host (a state
// file, here in the run's temp state dir) and run at the end of the next run of the play, even when
// nothing changes then; cleared once they ran.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture } from './harness.js';

let tmp: string;
beforeEach(() => {
  tmp = makeTmp();
});
afterEach(() => removeTmp(tmp));

const stateFile = (): string => join(tmp, '.state', 'handlers-h1.json');
const handlerRuns = (): string[] => (existsSync(join(tmp, 'handler')) ? readFileSync(join(tmp, 'handler'), 'utf8').trim().split('\n') : []);

describe('pending handlers', () => {
  it('a handler lost to a failure runs on the next run, where nothing changes, then never again', async () => {
    const first = await runFixture('pending-handlers.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { step: 'first' } });
    expect(first.summary.exitCode).toBe(2);
    expect(first.results('record')).toEqual([]);
    expect(first.warnings().join('\n')).toMatch(/record.*recorded on the host/);
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toEqual(['record']);

    const second = await runFixture('pending-handlers.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { step: 'second' } });
    expect(second.summary.exitCode).toBe(0);
    expect(second.statuses('change')).toEqual(['h1:skipped']);
    expect(second.statuses('record')).toEqual(['h1:changed']);
    expect(handlerRuns()).toEqual(['ran-second']);
    expect(existsSync(stateFile())).toBe(false);

    const third = await runFixture('pending-handlers.yaml', { tmp, options: { stateDir: join(tmp, '.state') }, extraVars: { step: 'third' } });
    expect(third.results('record')).toEqual([]);
    expect(handlerRuns()).toEqual(['ran-second']);
    // Nothing pending, nothing written: no round trip beyond the tasks'.
    expect(third.results().reduce((n, r) => n + r.round_trips, 0)).toBe(1);
  }, 30_000);
});
