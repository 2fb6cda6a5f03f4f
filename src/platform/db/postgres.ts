import postgres from 'postgres';
import type { Db, Queryable } from './db.js';

type Sql = postgres.Sql<{ int8: number }>;

function pool(url: string, max: number): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    // int8 as number, as PGlite returns it: our counts and ids stay far below 2^53
    types: {
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
    transform: { undefined: null },
  }) as unknown as Sql;
}

/**
 * postgres.js 3.4.x can leave a connection unable to write after PostgreSQL cuts it mid-write
 * (it clears its pending write timer without forgetting it, porsager/postgres#1154): every later
 * connect of that connection then times out, so the pool never recovers from a restart. A
 * CONNECT_TIMEOUT replaces the whole pool; the caller's retry (a channel's redelivery, a job's
 * next attempt) then meets a working one.
 */
function isConnectTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'CONNECT_TIMEOUT';
}

/** Production database: real Postgres with pgvector through porsager's postgres client. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const max = options.max ?? 10;
  let sql = pool(url, max);
  await sql`select 1`;
  await sql.unsafe('CREATE EXTENSION IF NOT EXISTS vector');
  let closing = false;
  async function guarded<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    const used = sql;
    try {
      return await fn(used);
    } catch (error) {
      if (isConnectTimeout(error) && used === sql && !closing) {
        sql = pool(url, max);
        void used.end({ timeout: 0 }).catch(() => {});
      }
      throw error;
    }
  }
  const wrap = (q: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T extends object>(text: string, params: unknown[] = []) {
      const rows = await q.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
  });
  return {
    kind: 'postgres',
    query: <T extends object>(text: string, params: unknown[] = []) => guarded((q) => wrap(q).query<T>(text, params)),
    async exec(text) {
      await guarded((q) => q.unsafe(text));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return guarded(async (q) => (await q.begin((tx) => fn(wrap(tx)))) as T);
    },
    async close() {
      closing = true;
      await sql.end({ timeout: 5 });
    },
  };
}
