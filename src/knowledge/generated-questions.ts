import type { Queryable } from '../platform/db/db.js';
import { terms } from '../text/tokenise.js';
import type { ArticleContent } from './article.js';
import { type ChunkDraft, hashText } from './chunk.js';

/** Generated questions come after an article's own (at most 100) in the chunk positions. */
const FIRST_POSITION = 10_000;

/**
 * An article's live generated phrasings (LLM_PARAPHRASES) as question chunks, each in its own
 * language: retrieval matches them like the article's example questions, and an English
 * paraphrase lets an English question find an article written in Arabic.
 */
export async function generatedQuestionChunks(db: Queryable, article: ArticleContent): Promise<ChunkDraft[]> {
  const rows = await db.query<{ question: string; lang: 'ar' | 'en' }>(
    `SELECT question, lang FROM learned_phrasings
     WHERE article_id = $1 AND origin = 'generated' AND status = 'accepted' ORDER BY created_at, id`,
    [article.id],
  );
  return rows.map((r, i) => ({
    kind: 'question',
    position: FIRST_POSITION + i,
    lang: r.lang,
    content: r.question,
    embedText: r.question,
    searchText: terms(r.question).join(' '),
    contentHash: hashText(r.question),
  }));
}
