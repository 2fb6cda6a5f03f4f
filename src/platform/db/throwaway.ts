import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

/**
 * A fresh, migrated database that is gone after close(): in memory on PGlite, or a new
 * database on the server when a Postgres URL is given. Evaluation and benchmarks use it so
 * they never touch the service's own data. On Postgres its `url` lets other processes share it
 * (the bench's API processes); `max` is its pool (4 unless given: test files run side by side).
 */
export async function throwawayDatabase(
  postgresUrl?: string,
  options: { max?: number } = {},
): Promise<Db & { url?: string }> {
  if (!postgresUrl) {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const name = `sanad_tmp_${randomBytes(6).toString('hex')}`;
  const admin = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: options.max ?? 4 });
  await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    url: url.toString(),
    async close() {
      await close();
      const cleanup = postgres(postgresUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
