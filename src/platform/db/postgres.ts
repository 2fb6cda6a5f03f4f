import postgres from 'postgres';
import type { Db, Queryable } from './db.js';

/** Production database: real Postgres with pgvector through porsager's postgres client. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // int8 as number, as PGlite returns it: our counts and ids stay far below 2^53
    types: {
      int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
    transform: { undefined: null },
  });
  await sql`select 1`;
  await sql.unsafe('CREATE EXTENSION IF NOT EXISTS vector');
  const wrap = (q: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<T extends object>(text: string, params: unknown[] = []) {
      const rows = await q.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
  });
  const base = wrap(sql);
  return {
    kind: 'postgres',
    query: base.query,
    async exec(text) {
      await sql.unsafe(text);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return (await sql.begin((tx) => fn(wrap(tx)))) as T;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
