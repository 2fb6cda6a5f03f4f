import type { ArticleContent } from '../knowledge/article.js';
import { ensureVectorIndex, refreshIdf, setActiveModel } from '../knowledge/embedding-store.js';
import { indexArticle } from '../knowledge/index-article.js';
import { refreshIntentModel } from '../knowledge/intent-model.js';
import { INTENT_DIMS, type KnowledgeBase } from '../knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../knowledge/local-embedder.js';
import type { Db } from '../platform/db/db.js';
import { round, since } from './stats.js';

export interface IngestReport {
  articles: number;
  chunks: number;
  embedded: number;
  /** Saving, chunking, embedding and indexing the articles (HNSW maintained as rows arrive). */
  ingest_s: number;
  articles_per_s: number;
  chunks_per_s: number;
  /** Knowledge-base IDF of the lexical embedder, recomputed after ingestion. */
  idf_s: number;
  /** Training the intent model on every article's title and questions, and storing it. */
  intent_s: number;
  intent_classes: number;
  /** With indexAfterLoad: building the HNSW index over the loaded vectors (else it grows row by row during ingest_s). */
  hnsw_build_s?: number;
}

/**
 * The same steps as KnowledgeBase.importFolder, without reading files: save each article
 * (a version row), chunk, embed and index it, then refresh the IDF and retrain the intent
 * model once at the end. Timed separately so the intent model's cost is visible. With
 * indexAfterLoad the HNSW index is built once after the load instead (a bulk-load path the
 * service does not take today: importFolder creates the index first).
 */
export async function ingest(
  db: Db,
  kb: KnowledgeBase,
  articles: ArticleContent[],
  options: { indexAfterLoad?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<IngestReport> {
  const { onProgress } = options;
  const embedder = kb.embedder;
  if (!options.indexAfterLoad) await ensureVectorIndex(db, embedder.model, embedder.dims);
  await setActiveModel(db, embedder.model, embedder.dims);
  let chunks = 0;
  let embedded = 0;
  const started = performance.now();
  for (const [i, article] of articles.entries()) {
    await kb.save(article, { by: 'bench', note: 'synthetic knowledge base' });
    const stats = await indexArticle(db, embedder, article.id);
    chunks += stats.chunks;
    embedded += stats.embedded;
    if ((i + 1) % 50 === 0 || i + 1 === articles.length) onProgress?.(i + 1, articles.length);
  }
  const ingestMs = since(started);
  let buildMs: number | undefined;
  if (options.indexAfterLoad) {
    const buildStarted = performance.now();
    await ensureVectorIndex(db, embedder.model, embedder.dims);
    buildMs = since(buildStarted);
  }
  const idfStarted = performance.now();
  if (embedder.lexical) await refreshIdf(db, embedder.model, embedder.dims);
  const idfMs = since(idfStarted);
  const intentStarted = performance.now();
  const classes = await refreshIntentModel(db, new LocalHashEmbedder(INTENT_DIMS));
  const intentMs = since(intentStarted);
  return {
    articles: articles.length,
    chunks,
    embedded,
    ingest_s: round(ingestMs / 1000),
    articles_per_s: round(articles.length / (ingestMs / 1000), 1),
    chunks_per_s: round(chunks / (ingestMs / 1000), 1),
    idf_s: round(idfMs / 1000),
    intent_s: round(intentMs / 1000),
    intent_classes: classes,
    ...(buildMs === undefined ? {} : { hnsw_build_s: round(buildMs / 1000) }),
  };
}
