import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import { getArticle } from './articles.js';
import { chunkArticle } from './chunk.js';
import type { Embedder } from './embedder.js';
import { ensureEmbeddings } from './embedding-store.js';
import { generatedQuestionChunks } from './generated-questions.js';

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
  const drafts = published ? [...(await chunkArticle(article)), ...(await generatedQuestionChunks(db, article))] : [];
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
    const changed = drafts.filter((d) => have.get(`${d.kind}:${d.position}`) !== `${d.contentHash} ${d.searchText}`);
    for (const d of drafts) have.delete(`${d.kind}:${d.position}`);
    // One statement for all rows: a statement a row made indexing the sample cost seconds on PGlite.
    if (changed.length) {
      await tx.query(
        `INSERT INTO chunks (article_id, article_version, kind, position, lang, content, search_text, content_hash)
         SELECT $1, $2, kind, position, lang, content, search_text, content_hash
         FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS t(kind, position, lang, content, search_text, content_hash)
         ON CONFLICT (article_id, kind, position) DO UPDATE SET article_version = EXCLUDED.article_version,
           lang = EXCLUDED.lang, content = EXCLUDED.content, search_text = EXCLUDED.search_text, content_hash = EXCLUDED.content_hash`,
        [
          articleId,
          article.version,
          changed.map((d) => d.kind),
          changed.map((d) => d.position),
          changed.map((d) => d.lang),
          changed.map((d) => d.content),
          changed.map((d) => d.searchText),
          changed.map((d) => d.contentHash),
        ],
      );
    }
    const written = changed.length;
    const gone = [...have.keys()].map((key) => key.split(':'));
    if (gone.length) {
      await tx.query(
        `DELETE FROM chunks c USING unnest($2::text[], $3::int[]) AS g(kind, position)
         WHERE c.article_id = $1 AND c.kind = g.kind AND c.position = g.position`,
        [articleId, gone.map(([kind]) => kind), gone.map(([, position]) => Number(position))],
      );
    }
    const removed = gone.length;
    return { chunks: drafts.length, written, removed, embedded };
  });
}
