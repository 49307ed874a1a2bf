import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      // Pure domain rules: no servers needed.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/{activities,workflows,replay,e2e,ui}/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Files share one Temporal dev server and one Postgres; on a 2-core machine running them one at a
          // time is faster and free of cross-file timing noise.
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
