import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';

export interface StorageReport {
  database_mb: number;
  /** The embeddings table with its indexes and TOAST. */
  embeddings_mb: number;
  hnsw_mb: number;
  /** The intent model's weight vectors (one per article). */
  intents_mb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

export async function storage(db: Db, model: string): Promise<StorageReport> {
  const index = `embeddings_hnsw_${model.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`.slice(0, 60);
  const row = await one<{ db: number; emb: number; hnsw: number | null; intents: number }>(
    db,
    `SELECT pg_database_size(current_database())::float8 AS db,
            pg_total_relation_size('embeddings')::float8 AS emb,
            (SELECT pg_relation_size(c.oid)::float8 FROM pg_class c WHERE c.relname = $1) AS hnsw,
            pg_total_relation_size('article_intents')::float8 AS intents`,
    [index],
  );
  return {
    database_mb: mb(Number(row?.db ?? 0)),
    embeddings_mb: mb(Number(row?.emb ?? 0)),
    hnsw_mb: mb(Number(row?.hnsw ?? 0)),
    intents_mb: mb(Number(row?.intents ?? 0)),
  };
}

/**
 * Whether the planner has statistics for the retrieval tables: ANALYZE (or autovacuum, which
 * PGlite does not run) sets reltuples; a fresh table has -1. CREATE INDEX also sets it for
 * the indexed table, so embeddings usually has a count when chunks and articles do not.
 */
export async function statistics(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ relname: string; reltuples: number }>(
    `SELECT relname, reltuples::float8 AS reltuples FROM pg_class
     WHERE relname IN ('articles', 'chunks', 'embeddings') AND relkind = 'r' ORDER BY relname`,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.reltuples)]));
}
