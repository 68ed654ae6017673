// The CLI must start fast: listr2 may only be reached through a dynamic import (the TTY mode).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('src/report imports listr2 only dynamically', async () => {
  const entry = fileURLToPath(new URL('../../../src/report/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const listr2Imports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((i) => i.path === 'listr2');
  expect(listr2Imports.length).toBeGreaterThan(0);
  for (const i of listr2Imports) expect(i.kind).toBe('dynamic-import');
});
