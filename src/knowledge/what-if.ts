import type { Db, Queryable } from '../platform/db/db.js';
import type { ArticleContent } from './article.js';
import { createArticle, getArticle, updateArticle } from './articles.js';
import { activeModel, refreshIdf } from './embedding-store.js';
import { indexArticle } from './index-article.js';
import { refreshIntentModel } from './intent-model.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { INTENT_DIMS } from './knowledge-base.js';
import { LocalHashEmbedder } from './local-embedder.js';
import { createRetriever, defaultTuning, type Retriever } from './retrieve.js';

/** Thrown to roll the transaction back; carries what the caller computed inside it. */
class RollBack<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back on purpose');
  }
}

/** Retrieval cannot be previewed while a reindex to another embedding model runs. */
export class PreviewUnavailableError extends Error {}

/**
 * Runs `fn` with a retriever over the knowledge base as it would be with `change` saved and
 * indexed (chunks, embeddings, IDF and the intent model retrained), inside one transaction that
 * is always rolled back: the preview is the real indexing code, and nothing of it survives.
 * On the embedded database the transaction holds the single connection, so turns wait for it
 * (about a second per hundred questions on the sample knowledge base).
 */
export async function withChangeApplied<T>(
  db: Db,
  kb: Pick<KnowledgeBase, 'embedder'>,
  change: ArticleContent,
  fn: (retriever: Retriever) => Promise<T>,
): Promise<T> {
  const embedder = kb.embedder;
  const active = (await activeModel(db)) ?? { model: embedder.model, dims: embedder.dims };
  if (active.model !== embedder.model) {
    throw new PreviewUnavailableError(`a reindex from ${active.model} to ${embedder.model} is running`);
  }
  const intentEmbedder = new LocalHashEmbedder(INTENT_DIMS);
  try {
    await db.transaction(async (tx) => {
      const inside = sameTransaction(db, tx);
      const current = await getArticle(tx, change.id);
      if (current) await updateArticle(tx, current, change, { by: 'preview', note: 'preview' });
      else await createArticle(tx, change, { by: 'preview', note: 'preview' });
      await indexArticle(inside, embedder, change.id);
      if (embedder.lexical) await refreshIdf(tx, embedder.model, embedder.dims);
      await refreshIntentModel(inside, intentEmbedder);
      const retriever = createRetriever(inside, embedder, active, defaultTuning, { embedder: intentEmbedder });
      throw new RollBack(await fn(retriever));
    });
  } catch (error) {
    if (error instanceof RollBack) return error.value as T;
    throw error;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

/**
 * The database as code that opens its own transactions sees it, kept inside `tx`: a nested
 * "transaction" runs in the outer one. Retrieval sets planner settings for the rest of the
 * transaction (set_config local); RESET ALL after each nested block undoes them as a commit would.
 */
function sameTransaction(db: Db, tx: Queryable): Db {
  return {
    kind: db.kind,
    query: (text, params) => tx.query(text, params),
    async exec(text) {
      await tx.query(text);
    },
    async transaction(fn) {
      const result = await fn(tx);
      await tx.query('RESET ALL');
      return result;
    },
    async close() {},
  };
}
