// Bundles the CLI into ESM files: dependencies stay external (loaded from node_modules), and code
// split at the CLI's dynamic imports (chunks/), so start-up loads only what the command runs:
// `--version` and `--help` load no YAML, zod, EJS, SSH or listr2 at all.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunks are named by their content's hash: remove the previous build's.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { provision: 'src/cli/entry.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { PROVISION_VERSION: JSON.stringify(version) },
});
