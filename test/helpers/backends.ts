import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Channel } from '../../src/channels/index.js';
import { buildService } from '../../src/modules.js';
import { compose } from '../../src/platform/compose.js';
import type { Config } from '../../src/platform/config.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/db.js';
import { throwawayDatabase } from '../../src/platform/db/throwaway.js';
import type { JobHandler, JobRunner } from '../../src/platform/jobs/jobs.js';
import { openJobRunner } from '../../src/platform/jobs/open.js';

/**
 * Tests run on PGlite + the in-process runner by default, and on real Postgres + BullMQ when
 * DATABASE_URL / REDIS_URL are set (CI sets both). Each test file gets its own database.
 */
export const backend = {
  database: process.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const),
  jobs: process.env.REDIS_URL ? ('bullmq' as const) : ('in-process' as const),
};

export async function testDatabase(): Promise<Db> {
  return throwawayDatabase(process.env.DATABASE_URL);
}

export const silentLog = pino({ level: 'silent' });

export async function testJobRunner(handlers: Map<string, JobHandler>): Promise<JobRunner> {
  return openJobRunner({ REDIS_URL: process.env.REDIS_URL, JOB_CONCURRENCY: 2 }, handlers, silentLog, {
    prefix: `sanad-test-${randomBytes(4).toString('hex')}`,
  });
}

/**
 * The service's config for a test. With REDIS_URL set (CI's second run) the composed service
 * runs its jobs on BullMQ and its live bus on Redis, as in production; the database is always
 * the test's own, handed to compose.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_URL: process.env.REDIS_URL, ...overrides });
}

/**
 * The whole service composed as the server composes it, on a throw-away database, without
 * start hooks (call `service.start()` to run them: sample loading, recovery, event sweeps).
 */
export async function testDeps(
  options: { config?: Record<string, string>; channels?: Channel[]; log?: pino.Logger } = {},
) {
  const db = await testDatabase();
  const service = await compose(
    testConfig(options.config),
    options.log ?? silentLog,
    buildService({ channels: options.channels, print: () => {} }),
    { db, prefix: `sanad-test-${randomBytes(4).toString('hex')}` },
  ).catch(async (error) => {
    await db.close();
    throw error;
  });
  return {
    ...service.platform,
    kb: service.kb,
    inbox: service.inbox,
    service,
    async close() {
      try {
        await service.close();
      } finally {
        await db.close();
      }
    },
  };
}
