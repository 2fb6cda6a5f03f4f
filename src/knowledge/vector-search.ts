import type { Db, Queryable } from '../platform/db/db.js';
import type { ChunkKind } from './chunk.js';

export interface ChunkHit {
  id: number;
  article_id: string;
  kind: ChunkKind;
  content: string;
  search_text: string;
  similarity: number;
}

export interface VectorQuery {
  /** The query vector as a pgvector literal. */
  vector: string;
  model: string;
  dims: number;
  lang: string | null;
  tags: string[] | null;
  /** Chunks wanted. */
  limit: number;
  /** Nearest embeddings read from the index per chunk wanted, before the filters. */
  overfetch?: number;
}

export const DEFAULT_OVERFETCH = 4;
/** pgvector's upper bound for hnsw.ef_search. */
const MAX_EF_SEARCH = 1000;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

// The model is a literal, not a parameter: the HNSW index is partial (WHERE model = '…'), and
// only a literal lets a generic (prepared) plan prove it usable.
const filters = (p: number) => `a.status = 'published'
           AND ($${p}::text IS NULL OR c.lang = $${p}) AND ($${p + 1}::text[] IS NULL OR a.tags && $${p + 1}::text[])`;

/**
 * Approximate, step 1: the `fetch` nearest embeddings of the model, from the embeddings table
 * alone: the HNSW index can only serve a single-table ORDER BY distance LIMIT. Parameter: $1 vector.
 */
export function nearestEmbeddingsSql(d: number, model: string, fetch: number): string {
  return `SELECT e.content_hash, e.embedding::vector(${d}) <=> $1::vector(${d}) AS distance
         FROM embeddings e
         WHERE e.model = ${literal(model)}
         ORDER BY e.embedding::vector(${d}) <=> $1::vector(${d})
         LIMIT ${fetch}`;
}

/**
 * Approximate, step 2: the chunks of those embeddings (several chunks may share one), filtered.
 * A separate statement, so the planner settings that force the index do not reach these joins.
 * `content_hash = ANY` restates the join as a restriction on chunks: without table statistics
 * (a freshly loaded base) the planner otherwise joins every chunk in a nested loop.
 * Parameters: $1 content hashes, $2 distances, $3 lang, $4 tags.
 */
export function chunksOfSql(limit: number): string {
  return `SELECT c.id::int AS id, c.article_id, c.kind, c.content, c.search_text, 1 - n.distance AS similarity
         FROM chunks c
         JOIN unnest($1::text[], $2::float8[]) AS n (content_hash, distance) ON n.content_hash = c.content_hash
         JOIN articles a ON a.id = c.article_id
         WHERE c.content_hash = ANY($1::text[]) AND ${filters(3)}
         ORDER BY n.distance, c.id
         LIMIT ${limit}`;
}

/** Exact: every matching chunk's distance. Parameters: $1 vector, $2 lang, $3 tags. */
export function exactChunksSql(d: number, model: string, limit: number): string {
  return `SELECT c.id::int AS id, c.article_id, c.kind, c.content, c.search_text,
                1 - (e.embedding::vector(${d}) <=> $1::vector(${d})) AS similarity
         FROM embeddings e
         JOIN chunks c ON c.content_hash = e.content_hash
         JOIN articles a ON a.id = c.article_id
         WHERE e.model = ${literal(model)} AND ${filters(2)}
         ORDER BY e.embedding::vector(${d}) <=> $1::vector(${d}), c.id
         LIMIT ${limit}`;
}

/** How many nearest embeddings the approximate query reads (and the HNSW candidate list size). */
export function fetchSize(limit: number, overfetch = DEFAULT_OVERFETCH): number {
  return Math.min(MAX_EF_SEARCH, Math.max(limit, Math.ceil(limit * overfetch)));
}

/**
 * Planner settings for the nearest-embeddings statement. Cost estimates favour an exact scan
 * (vectors are TOASTed, so the heap looks small and each distance looks cheap), so the
 * alternatives to the index are switched off for this one statement. ef_search must be at
 * least the LIMIT: without pgvector 0.8's iterative scan the index returns at most ef_search rows.
 */
export function approximateSettings(fetch: number): Record<string, string> {
  return { 'hnsw.ef_search': String(fetch), enable_seqscan: 'off', enable_bitmapscan: 'off', enable_sort: 'off' };
}

/** The exact query must not pick the index: at ef_search 40 it would lose rows to the filters. */
export const exactSettings: Record<string, string> = { enable_indexscan: 'off' };

/** Runs fn in a transaction with these settings, all set in one round trip and undone at commit. */
export function withSettings<T>(
  db: Pick<Db, 'transaction'>,
  settings: Record<string, string>,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const names = Object.keys(settings);
    await tx.query(
      `SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap((n) => [n, settings[n]]),
    );
    return fn(tx);
  });
}

/**
 * Nearest chunks to the query vector under the filters. Reads `limit × overfetch` nearest
 * embeddings from the HNSW index, then keeps the chunks that pass the filters; when fewer than
 * `limit` pass (a narrow language or tag filter, or a small knowledge base), the nearest
 * matches may lie beyond what was read, so it falls back to the exact query.
 */
export async function nearestChunks(
  db: Pick<Db, 'query' | 'transaction'>,
  q: VectorQuery,
): Promise<{ hits: ChunkHit[]; exact: boolean }> {
  const fetch = fetchSize(q.limit, q.overfetch);
  const nearest = await withSettings(db, approximateSettings(fetch), (tx) =>
    tx.query<{ content_hash: string; distance: number }>(nearestEmbeddingsSql(q.dims, q.model, fetch), [q.vector]),
  );
  const hits = nearest.length
    ? await db.query<ChunkHit>(chunksOfSql(q.limit), [
        nearest.map((n) => n.content_hash),
        nearest.map((n) => Number(n.distance)),
        q.lang,
        q.tags,
      ])
    : [];
  if (hits.length >= q.limit) return { hits, exact: false };
  const exact = await withSettings(db, exactSettings, (tx) =>
    tx.query<ChunkHit>(exactChunksSql(q.dims, q.model, q.limit), [q.vector, q.lang, q.tags]),
  );
  return { hits: exact, exact: true };
}
