import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { createEmbedder } from '../../src/knowledge/embedders.js';
import { knowledgeBase } from '../../src/knowledge/knowledge-base.js';
import type { Config } from '../../src/platform/config.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/db.js';
import { throwawayDatabase } from '../../src/platform/db/throwaway.js';
import type { Deps } from '../../src/platform/deps.js';
import { createMetrics } from '../../src/platform/http/metrics.js';
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

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}

export async function testDeps(
  options: { config?: Record<string, string>; handlers?: (deps: () => Deps) => Map<string, JobHandler> } = {},
): Promise<Deps & { close(): Promise<void> }> {
  let deps: Deps | undefined;
  const db = await testDatabase();
  const handlers = options.handlers?.(() => deps as Deps) ?? new Map();
  const jobs = await testJobRunner(handlers);
  const config = testConfig(options.config);
  deps = {
    config,
    db,
    kb: knowledgeBase(db, createEmbedder(config)),
    jobs,
    log: silentLog,
    metrics: createMetrics(),
    lifecycle: { draining: false },
  };
  const ready = deps;
  return {
    ...ready,
    async close() {
      await ready.jobs.close();
      await ready.db.close();
    },
  };
}
