/**
 * The one database interface every feature uses. Two implementations: PGlite (embedded
 * default) and postgres.js (production). SQL is written once with $1.. parameters and runs
 * on both; queries that return bigint/count cast to int so both drivers give numbers.
 */
// biome-ignore lint/suspicious/noExplicitAny: rows are typed by each query's caller
export type Row = Record<string, any>;

export interface Queryable {
  query<T extends object = Row>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a gzipped tarball, for `openPglite(…, { loadDataDir })`. */
  dump?(): Promise<Blob>;
}

export async function one<T extends object>(q: Queryable, text: string, params?: unknown[]): Promise<T | undefined> {
  const rows = await q.query<T>(text, params);
  return rows[0];
}
