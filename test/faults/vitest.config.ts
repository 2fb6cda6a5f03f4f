import { defineConfig } from 'vitest/config';

// npm run test:faults: faults against private Postgres and Redis instances (never the machine's
// shared ones) and load on a real server process. One file at a time: each starts its own
// services and some load the machine on purpose.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
