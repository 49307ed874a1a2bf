import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // vitest's own record of the run, read by scripts/check-test-report.ts in CI whatever the exit code said.
    reporters: ['default', 'json', './test/support/empty-run-gate.ts'],
    outputFile: { json: '.test-results/vitest.json' },
    projects: [
      // Pure domain rules: no servers needed.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Generated e-invoices checked by the official Peppol/EN 16931 rules (Java; built and cached on first run).
      {
        test: {
          name: 'documents',
          include: ['test/documents/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
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
