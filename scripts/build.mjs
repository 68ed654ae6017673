// Bundles the CLI in two parts, so start-up loads only what the command runs:
//  - dist/provision.js (ESM, bin/provision.js imports it): src/cli/entry.ts answers `--version` and
//    `--help` with no YAML, zod, EJS, SSH or listr2 at all (nor commander: help is printed into
//    dist/help.json here, below); for anything else it loads the code-cache loader (dist/chunks/);
//  - dist/main.cjs: the program (src/cli/main.ts and all it imports) as ONE CommonJS file, which the
//    loader (src/cli/code-cache.ts) compiles with a V8 code cache; ES modules have none in Node 20.
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

const define = { PROVISION_VERSION: JSON.stringify(version) };

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
  sourcemap: 'linked',
  logLevel: 'warning',
  define,
});

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/main.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() of node-ssh and listr2 becomes require(): the code-cache loader runs this file in a
  // vm.Script, where import() is not available (it needs --experimental-vm-modules); both packages
  // have CommonJS entries (listr2's requires its ESM-only dependencies: require(esm), Node >= 20.19).
  supported: { 'dynamic-import': false },
  external: EXTERNAL,
  plugins: [englishOnlyZod],
  // The ES modules were strict mode, the whole bundle with them: keep it so (the banner comes before
  // esbuild's own "use strict", which is then no directive). import.meta.url (src/lab/
  // paths.ts finds the package root from it) is this file's URL.
  banner: { js: '"use strict";\nvar __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { ...define, 'import.meta.url': '__import_meta_url' },
  sourcemap: 'linked',
  logLevel: 'warning',
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
  define,
});
try {
  const { allHelpTexts } = await import(helpGen.href);
  writeFileSync(new URL('../dist/help.json', import.meta.url), JSON.stringify(allHelpTexts(), null, 1) + '\n');
} finally {
  rmSync(helpGen, { force: true });
}
