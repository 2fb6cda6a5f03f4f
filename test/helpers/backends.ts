import { randomBytes } from 'node:crypto';
import pino from 'pino';
import postgres from 'postgres';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { Deps } from '../../src/deps.js';
import { createMetrics } from '../../src/http/metrics.js';
import type { JobHandler, JobRunner } from '../../src/jobs/jobs.js';
import { openJobRunner } from '../../src/jobs/open.js';

/**
 * Tests run on PGlite + the in-process runner by default, and on real Postgres + BullMQ when
 * DATABASE_URL / REDIS_URL are set (CI sets both). Each test file gets its own database.
 */
export const backend = {
  database: process.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const),
  jobs: process.env.REDIS_URL ? ('bullmq' as const) : ('in-process' as const),
};

export async function testDatabase(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const name = `sanad_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const db = await openPostgres(dbUrl.toString(), { max: 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    async close() {
      await close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
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
  deps = {
    config: testConfig(options.config),
    db,
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
