import { Redis } from 'ioredis';
import postgres from 'postgres';

/**
 * Prints which backends this run uses, so CI output shows it. With REQUIRE_BACKENDS set (CI),
 * an unreachable backend fails the run instead of quietly falling back.
 */
export default async function setup() {
  const db = process.env.DATABASE_URL ? `postgres (${redact(process.env.DATABASE_URL)})` : 'pglite (embedded)';
  const jobs = process.env.REDIS_URL ? `bullmq (${redact(process.env.REDIS_URL)})` : 'in-process';
  console.log(`\n[sanad tests] database backend: ${db}; job runner: ${jobs}\n`);
  const required = (process.env.REQUIRE_BACKENDS ?? '').split(',').filter(Boolean);
  if (required.includes('postgres')) {
    if (!process.env.DATABASE_URL) throw new Error('REQUIRE_BACKENDS names postgres but DATABASE_URL is not set');
    const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    const [row] = await sql`SELECT default_version FROM pg_available_extensions WHERE name = 'vector'`;
    await sql.end();
    if (!row) throw new Error('pgvector is not available on the Postgres server');
    console.log(`[sanad tests] postgres reachable, pgvector ${row.default_version ?? ''} available`);
  }
  if (required.includes('bullmq')) {
    if (!process.env.REDIS_URL) throw new Error('REQUIRE_BACKENDS names bullmq but REDIS_URL is not set');
    const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis.connect();
    const pong = await redis.ping();
    redis.disconnect();
    if (pong !== 'PONG') throw new Error('Redis did not answer PING');
    console.log('[sanad tests] redis reachable');
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
