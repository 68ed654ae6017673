// `debug: var: NAME` shows the variable's value as Ansible does (`"NAME": VALUE`, templates rendered,
// not the template's source), and a secret-named variable's rendered value is masked in every event.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTmp, removeTmp, runFixture, type Outcome } from './harness.js';

const RENDERED_SECRET = 'Vb3-plain-Tq5-rendered-secret';

let tmp: string;
let o: Outcome;
beforeAll(async () => {
  tmp = makeTmp();
  o = await runFixture('debug-var.yaml', { tmp, options: { verbosity: 0 } });
});
afterAll(() => removeTmp(tmp));

describe('debug var', () => {
  it('shows the rendered value under its name', () => {
    expect(o.result('a templated variable', 'h1').display).toBe('"greeting": "Vb3-plain world"');
    expect(o.result('a path into it', 'h1').display).toBe('"settings.motd": "Vb3-plain world!"');
  });

  it('shows a mapping as indented JSON with its templates rendered', () => {
    expect(o.result('a mapping with templates inside', 'h1').display).toBe(
      '"settings": {\n  "motd": "Vb3-plain world!",\n  "ports": [\n    80,\n    443\n  ]\n}',
    );
  });

  it('masks a templated secret, rendered, and its value appears in no event', () => {
    expect(o.result('a templated secret', 'h1').display).toBe('"x_password": "********"');
    expect(o.result('use the secret', 'h1').stdout).toBe('********');
    expect(JSON.stringify(o.events)).not.toContain(RENDERED_SECRET);
    expect(JSON.stringify(o.events)).not.toContain('Tq5');
    expect(o.summary.exitCode).toBe(0);
  });
});
