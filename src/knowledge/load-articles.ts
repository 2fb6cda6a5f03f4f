import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { ArticleContent } from './article.js';
import { type ChunkDraft, chunkArticle } from './chunk.js';
import type { Embedder } from './embedder.js';
import { dropVectorIndex, ensureVectorIndex, insertEmbeddings } from './embedding-store.js';
import type { FileProblem } from './folder.js';
import { indexArticle } from './index-article.js';

export type Change = 'created' | 'updated' | 'unchanged';

export interface LoadOutcome {
  file: string;
  id: string;
  change?: Change;
  problem?: FileProblem;
}

export interface LoadReport {
  outcomes: LoadOutcome[];
  embedded: number;
  /** Chunks were written or removed: the knowledge-base-wide refresh (IDF, intent model) is due. */
  touched: boolean;
  /** Embedding stopped early: the endpoint failed batch after batch, so the rest were not tried. */
  embeddingStopped?: string;
}

export interface LoadOptions {
  by?: string | null;
  save: (
    article: ArticleContent,
    meta: { by?: string | null; note?: string | null; sourcePath?: string | null },
  ) => Promise<{ change: Change }>;
  /** Called as work is done: `phase` is 'embedding' or 'saving'. */
  onProgress?: (done: number, total: number, phase: 'embedding' | 'saving', file?: string) => void;
  /** Asked between steps: a stopping service ends the load where it is. */
  stopped?: () => boolean;
}

const EMBED_BATCH = 64;
/** Consecutive failed embedding batches after which the endpoint is taken as down for this load. */
const FAILED_BATCHES_TO_STOP = 2;
/** A first load of at least this many vectors builds the HNSW index once at the end instead of row by row. */
const BULK_VECTORS = 200;

/**
 * Loads articles in bulk: every published article is chunked, the vectors its chunks lack are
 * embedded in batches across articles and stored a batch at a time, then each article is saved
 * (a version row when it changed) and its chunks written. An article whose vectors could not be
 * made fails whole before anything of it is saved, so a later load picks it up; when the
 * endpoint fails batch after batch the rest are not tried (a hanging endpoint would otherwise
 * cost a timeout per article).
 */
export async function loadArticles(
  db: Db,
  embedder: Embedder,
  items: { file: string; article: ArticleContent }[],
  options: LoadOptions,
): Promise<LoadReport> {
  const report: LoadReport = { outcomes: [], embedded: 0, touched: false };
  const drafts = new Map<string, ChunkDraft[]>();
  for (const { article } of items) {
    if (article.status === 'published') drafts.set(article.id, await chunkArticle(article));
  }
  const failedHashes = new Map<string, string>();
  const all = [...new Map([...drafts.values()].flat().map((d) => [d.contentHash, d.embedText])).entries()];
  const have = new Set(
    (
      await db.query<{ content_hash: string }>(
        'SELECT content_hash FROM embeddings WHERE model = $1 AND content_hash = ANY($2::text[])',
        [embedder.model, all.map(([hash]) => hash)],
      )
    ).map((r) => r.content_hash),
  );
  const missing = all.filter(([hash]) => !have.has(hash));
  // Growing an HNSW index row by row costs several times building it once over the loaded rows.
  // Only on PGlite, whose one process owns the database: on Postgres another process may be loading too.
  const bulk =
    db.kind === 'pglite' &&
    missing.length >= BULK_VECTORS &&
    !(await one(db, 'SELECT 1 FROM embeddings WHERE model = $1 LIMIT 1', [embedder.model]));
  if (bulk) await dropVectorIndex(db, embedder.model);
  try {
    let failedInRow = 0;
    for (let i = 0; i < missing.length; i += EMBED_BATCH) {
      const batch = missing.slice(i, i + EMBED_BATCH);
      if (options.stopped?.()) {
        for (const [hash] of missing.slice(i)) failedHashes.set(hash, 'the load was stopped');
        break;
      }
      if (report.embeddingStopped) {
        for (const [hash] of batch) failedHashes.set(hash, report.embeddingStopped);
        continue;
      }
      try {
        const vectors = await embedder.embedDocuments(batch.map(([, text]) => text));
        await insertEmbeddings(
          db,
          embedder,
          batch.map(([hash], j) => ({ hash, vector: vectors[j] as number[] })),
        );
        report.embedded += batch.length;
        failedInRow = 0;
      } catch (error) {
        const reason = (error as Error).message;
        for (const [hash] of batch) failedHashes.set(hash, reason);
        if (++failedInRow >= FAILED_BATCHES_TO_STOP) {
          report.embeddingStopped = `not tried: the embedding endpoint failed ${failedInRow} times in a row (${reason})`;
        }
      }
      options.onProgress?.(Math.min(i + EMBED_BATCH, missing.length), missing.length, 'embedding');
    }
  } finally {
    if (bulk) await ensureVectorIndex(db, embedder.model, embedder.dims);
  }

  for (const [i, { file, article }] of items.entries()) {
    if (options.stopped?.()) {
      report.outcomes.push({
        file,
        id: article.id,
        problem: { file, field: '(stopped)', reason: 'the load was stopped' },
      });
      continue;
    }
    const failed = (drafts.get(article.id) ?? []).find((d) => failedHashes.has(d.contentHash));
    if (failed) {
      const reason = failedHashes.get(failed.contentHash) as string;
      report.outcomes.push({ file, id: article.id, problem: { file, field: '(embedding)', reason } });
      continue;
    }
    let stage = '(database)';
    try {
      const { change } = await options.save(article, {
        by: options.by ?? 'import',
        note: `imported from ${file}`,
        sourcePath: file,
      });
      stage = '(index)';
      const stats = await indexArticle(db, embedder, article.id);
      report.embedded += stats.embedded;
      report.touched ||= stats.written > 0 || stats.removed > 0;
      report.outcomes.push({ file, id: article.id, change });
    } catch (error) {
      report.outcomes.push({ file, id: article.id, problem: { file, field: stage, reason: (error as Error).message } });
    }
    options.onProgress?.(i + 1, items.length, 'saving', file);
  }
  return report;
}
