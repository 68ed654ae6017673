import { test } from 'vitest';
import { createReporter } from '../../../src/report/index.js';
import { collector, scriptedRun, SECRET } from './events-fixture.js';

test('scratch', async () => {
  for (const mode of ['plain', 'tty'] as const) {
    const out = await collector(mode === 'tty');
    const err = await collector();
    const r = await createReporter({ mode, verbose: 1, diff: true, color: false, out: out.stream, err: err.stream, secrets: [SECRET] });
    for (const e of scriptedRun()) { r.handle(e); await new Promise((res) => setTimeout(res, 30)); }
    await r.finish();
    await new Promise((res) => setTimeout(res, 20));
    console.log(`==== ${mode} OUT\n` + JSON.stringify(out.text()) + '\n==== ERR\n' + err.text());
    console.log(out.text());
  }
});
