#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm run build` so start-up needs no TypeScript loader.
import('../dist/provision.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/provision.js')) {
    process.stderr.write('provision: not built yet, run `npm run build` first\n');
    process.exit(1);
  }
  throw err;
});
