#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm run build` so start-up needs no TypeScript loader.
import('../dist/provision.js').catch((err) => {
  const missing =
    (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/provision.js')) ||
    (err && err.code === 'ENOENT' && String(err.path).endsWith('dist/main.cjs'));
  if (missing) {
    process.stderr.write('provision: not built yet, run `npm run build` first\n');
    process.exit(1);
  }
  throw err;
});
