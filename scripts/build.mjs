// Bundles the CLI into ESM files: dependencies stay external (loaded from node_modules), and code
// split at the CLI's dynamic imports (chunks/), so start-up loads only what the command runs:
// `--version` and `--help` load no YAML, zod, EJS, SSH or listr2 at all (nor commander: help is
// printed into dist/help.json here, below).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

// `provision --help` and `provision <command> --help` are answered from dist/help.json (src/cli/
// entry.ts) without loading commander: print every command's help with the same command tree.
const helpGen = new URL('../dist/help-gen.mjs', import.meta.url);
await build({
  entryPoints: ['src/cli/program.ts'],
  outfile: fileURLToPath(helpGen),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  define: { PROVISION_VERSION: JSON.stringify(version) },
});
try {
  const { allHelpTexts } = await import(helpGen.href);
  writeFileSync(new URL('../dist/help.json', import.meta.url), JSON.stringify(allHelpTexts(), null, 1) + '\n');
} finally {
  rmSync(helpGen, { force: true });
}
