import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import { getArticle } from './articles.js';
import { chunkArticle } from './chunk.js';
import type { Embedder } from './embedder.js';
import { ensureEmbeddings } from './embedding-store.js';

export interface IndexStats {
  chunks: number;
  written: number;
  removed: number;
  embedded: number;
}

/**
 * Brings an article's chunks in line with its current version: published articles get
 * chunks and embeddings (unchanged text is neither rewritten nor re-embedded), other
 * statuses get none, so only published articles are retrievable.
 *
 * Index runs for one article may overlap (several workers, or a publish right after a save):
 * the chunk rows are written under a lock on the article row and only if the article is still
 * the version that was chunked, else the run starts over with the newer version. Without this
 * a run that read a draft could delete the chunks a later run wrote for the published version.
 */
export async function indexArticle(db: Db, embedder: Embedder, articleId: string): Promise<IndexStats> {
  for (let attempt = 1; ; attempt++) {
    const result = await indexOnce(db, embedder, articleId);
    if (result) return result;
    if (attempt >= 5) throw new Error(`article ${articleId} kept changing while it was being indexed`);
  }
}

async function indexOnce(db: Db, embedder: Embedder, articleId: string): Promise<IndexStats | undefined> {
  const article = await getArticle(db, articleId);
  const published = article?.status === 'published';
  const drafts = published ? await chunkArticle(article) : [];
  // Embed before touching chunks: a model failure leaves the previous chunks searchable.
  const embedded = await ensureEmbeddings(
    db,
    embedder,
    drafts.map((d) => ({ hash: d.contentHash, text: d.embedText })),
  );
  return db.transaction(async (tx) => {
    const now = await one<{ version: number; status: string }>(
      tx,
      'SELECT version, status FROM articles WHERE id = $1 FOR UPDATE',
      [articleId],
    );
    if (now?.version !== article?.version || now?.status !== article?.status) return undefined;
    if (!article || !published) {
      const removed = await tx.query('DELETE FROM chunks WHERE article_id = $1 RETURNING id', [articleId]);
      return { chunks: 0, written: 0, removed: removed.length, embedded: 0 };
    }
    const existing = await tx.query<{ kind: string; position: number; content_hash: string; search_text: string }>(
      'SELECT kind, position, content_hash, search_text FROM chunks WHERE article_id = $1',
      [articleId],
    );
    // The search text is compared too: a new tokeniser (stopwords, lexicon) changes it for
    // unchanged content, and a reindex must bring the full-text index along.
    const have = new Map(existing.map((c) => [`${c.kind}:${c.position}`, `${c.content_hash} ${c.search_text}`]));
    let written = 0;
    for (const d of drafts) {
      const key = `${d.kind}:${d.position}`;
      if (have.get(key) === `${d.contentHash} ${d.searchText}`) {
        have.delete(key);
        continue;
      }
      have.delete(key);
      written++;
      await tx.query(
        `INSERT INTO chunks (article_id, article_version, kind, position, lang, content, search_text, content_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (article_id, kind, position) DO UPDATE SET article_version = EXCLUDED.article_version,
           lang = EXCLUDED.lang, content = EXCLUDED.content, search_text = EXCLUDED.search_text, content_hash = EXCLUDED.content_hash`,
        [articleId, article.version, d.kind, d.position, d.lang, d.content, d.searchText, d.contentHash],
      );
    }
    let removed = 0;
    for (const key of have.keys()) {
      const [kind, position] = key.split(':');
      await tx.query('DELETE FROM chunks WHERE article_id = $1 AND kind = $2 AND position = $3', [
        articleId,
        kind,
        Number(position),
      ]);
      removed++;
    }
    return { chunks: drafts.length, written, removed, embedded };
  });
}
