import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Many unit tests start the CLI as a process; on a busy machine (CI runs the lab beside them)
          // that takes seconds. The limit is there to catch a hang, not to time anything.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // provision against Debian's ansible-core on local temp trees (needs ansible-playbook).
          name: 'differential',
          include: ['test/differential/**/*.test.ts'],
          testTimeout: 10_000,
          // ansible-playbook is slow on a loaded machine; its results are cached (harness/ansible-cache.ts).
          hookTimeout: 1_800_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/setup/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          // The lab hosts are shared: files run one after the other.
          fileParallelism: false,
        },
      },
    ],
  },
});
