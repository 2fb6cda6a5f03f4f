import type { Db, Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Embedder } from './embedder.js';
import { parseVector, toVectorLiteral } from './embedder.js';

const BATCH = 64;

/** The model whose vectors retrieval uses; set when a (re)index with that model completes. */
export async function activeModel(db: Queryable): Promise<{ model: string; dims: number } | undefined> {
  const row = await one<{ value: { model: string; dims: number } }>(
    db,
    "SELECT value FROM settings WHERE key = 'embedding.active'",
  );
  return row?.value;
}

export async function setActiveModel(db: Queryable, model: string, dims: number) {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('embedding.active', $1::text::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [JSON.stringify({ model, dims })],
  );
}

function indexName(model: string): string {
  return `embeddings_hnsw_${model.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`.slice(0, 60);
}

/**
 * One HNSW index per model, over the vectors cast to that model's dimensions: the table holds
 * any dimension, each model's index sees only its own rows.
 */
export async function ensureVectorIndex(db: Db, model: string, dims: number) {
  const literal = model.replace(/'/g, "''");
  await db.exec(
    `CREATE INDEX IF NOT EXISTS ${indexName(model)} ON embeddings USING hnsw ((embedding::vector(${dims})) vector_cosine_ops) WITH (m = 16, ef_construction = 64) WHERE model = '${literal}'`,
  );
}

/** Embeds the texts whose hash has no vector for this model yet; returns how many were embedded. */
export async function ensureEmbeddings(
  db: Queryable,
  embedder: Embedder,
  items: { hash: string; text: string }[],
): Promise<number> {
  const unique = [...new Map(items.map((i) => [i.hash, i])).values()];
  if (unique.length === 0) return 0;
  const have = await db.query<{ content_hash: string }>(
    'SELECT content_hash FROM embeddings WHERE model = $1 AND content_hash = ANY($2::text[])',
    [embedder.model, unique.map((i) => i.hash)],
  );
  const known = new Set(have.map((r) => r.content_hash));
  const missing = unique.filter((i) => !known.has(i.hash));
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const vectors = await embedder.embedDocuments(batch.map((b) => b.text));
    await insertEmbeddings(
      db,
      embedder,
      batch.map((b, j) => ({ hash: b.hash, vector: vectors[j] as number[] })),
    );
  }
  return missing.length;
}

/** Stores vectors in one statement (a row each costs a round trip and a parse on PGlite). */
export async function insertEmbeddings(
  db: Queryable,
  embedder: Pick<Embedder, 'model' | 'dims'>,
  rows: { hash: string; vector: ArrayLike<number> }[],
) {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO embeddings (content_hash, model, dims, embedding)
     SELECT h, $1, $2, v::vector FROM unnest($3::text[], $4::text[]) AS t(h, v)
     ON CONFLICT (content_hash, model) DO NOTHING`,
    [embedder.model, embedder.dims, rows.map((r) => r.hash), rows.map((r) => toVectorLiteral(r.vector))],
  );
}

/** Drops a model's HNSW index, for a bulk load that builds it once at the end. */
export async function dropVectorIndex(db: Db, model: string) {
  await db.exec(`DROP INDEX IF EXISTS ${indexName(model)}`);
}

/** Drops vectors no chunk uses any more, and every vector of models other than `keep`. */
export async function pruneEmbeddings(db: Queryable, keep: string) {
  await db.query(
    'DELETE FROM embeddings e WHERE e.model <> $1 OR NOT EXISTS (SELECT 1 FROM chunks c WHERE c.content_hash = e.content_hash)',
    [keep],
  );
}

/**
 * Inverse document frequency of each dimension of a lexical (hashed) model over the published
 * chunks: learned from the knowledge base at ingestion, applied to queries at search time.
 */
export async function refreshIdf(db: Queryable, model: string, dims: number) {
  const rows = await db.query<{ embedding: string }>(
    `SELECT e.embedding::text AS embedding FROM embeddings e
     JOIN chunks c ON c.content_hash = e.content_hash JOIN articles a ON a.id = c.article_id
     WHERE e.model = $1 AND a.status = 'published'`,
    [model],
  );
  const df = new Float64Array(dims);
  for (const r of rows) {
    const v = parseVector(r.embedding);
    for (let i = 0; i < dims; i++) if (v[i] !== 0) df[i] = (df[i] as number) + 1;
  }
  const n = rows.length;
  const idf = Array.from(df, (d) => Number((Math.log((n + 1) / (d + 1)) + 1).toFixed(4)));
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::text::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [`idf.${model}`, JSON.stringify({ n, idf })],
  );
}

export async function loadIdf(
  db: Queryable,
  model: string,
): Promise<{ n: number; idf: number[]; updated: string } | undefined> {
  const row = await one<{ value: { n: number; idf: number[] }; updated: string }>(
    db,
    'SELECT value, updated_at::text AS updated FROM settings WHERE key = $1',
    [`idf.${model}`],
  );
  return row && { ...row.value, updated: row.updated };
}
