// Bundles the CLI into ESM files, code split at the CLI's dynamic imports (chunks/), so start-up
// loads only what the command runs:
// `--version` and `--help` load no YAML, zod, EJS, SSH or listr2 at all (nor commander: help is
// printed into dist/help.json here, below).
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { version, dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// The packages that most commands load are bundled: one file to read and compile instead of dozens
// (yaml's CommonJS build is about 60 files, zod's over 100), about 100 ms of CPU less at start-up.
// Those loaded only when needed (node-ssh and listr2, through dynamic imports) stay in node_modules.
const BUNDLED = new Set(['yaml', 'zod', 'commander', 'ejs', 'jsep', 'diff']);
const EXTERNAL = Object.keys(dependencies).filter((name) => !BUNDLED.has(name));

// zod's `locales` namespace holds every language's error messages (370 kB of the bundle, to compile at
// each start); provision uses only the English default, which zod registers from locales/en.js.
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: 'locales', namespace: 'english-only-zod', pluginData: join(dirname(args.importer), '../locales') }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

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
  external: EXTERNAL,
  plugins: [englishOnlyZod],
  // commander and yaml are CommonJS: their require() of node's modules needs a real require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
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
