import { defineConfig } from 'vitest/config';

/**
 * postgres.js 3.4.x can throw from a setImmediate after PostgreSQL cuts a connection
 * (porsager/postgres#1154, #1208; fixes proposed upstream in #1168, #1209): an uncaught
 * TypeError in `nextWrite` that would end a production process. The restart suite meets it; it is
 * counted and printed here as a finding, not hidden, and nothing else is let through.
 */
function driverCrash(error: { message?: string; stack?: string }): boolean {
  return (
    /Cannot read properties of null \(reading 'write'\)/.test(error.message ?? '') &&
    /postgres\/(cjs\/)?src\/connection\.js/.test(error.stack ?? '') &&
    /nextWrite/.test(error.stack ?? '')
  );
}

let crashes = 0;

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
    onUnhandledError(error) {
      if (!driverCrash(error)) return;
      crashes++;
      process.stdout.write(
        `faults: postgres.js uncaught TypeError in nextWrite after a cut connection (porsager/postgres#1154): ${crashes}\n`,
      );
      return false;
    },
  },
});
