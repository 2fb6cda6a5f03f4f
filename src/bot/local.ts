import type { RetrievedArticle } from '../knowledge/retrieve.js';
import type { Answer, Answerer, AnswerInput, AnswerOptions } from './answerer.js';
import { evidenceOf, retrievalConfidence } from './confidence.js';

const MAX_ANSWER_CHARS = 700;

/**
 * The local answerer: extractive. It quotes the best passage of the best article (in the
 * customer's language when one was retrieved) and cites it. It cannot make anything up:
 * every word it sends is in the knowledge base.
 */
export function localAnswerer(): Answerer {
  return {
    kind: 'local',
    async answer({ lang, retrieval }: AnswerInput, options?: AnswerOptions): Promise<Answer> {
      const article = pickArticle(retrieval.articles, lang);
      if (!article)
        return { text: '', citations: [], confidence: 0, answered: false, answerer: 'local', failure: 'no_candidates' };
      const confidence = retrievalConfidence(evidenceOf(retrieval));
      const passage = article.passages[0];
      const text = passage ? trimPassage(passage.content) : article.title;
      // Nothing to stream: the quote exists whole, so it is one draft.
      options?.onText?.(text);
      return {
        text,
        citations: [{ articleId: article.articleId, chunkId: passage?.chunkId ?? 0, title: article.title }],
        confidence,
        answered: true,
        answerer: 'local',
      };
    },
  };
}

/** Best article, but prefer one in the customer's language when it is nearly as good. */
function pickArticle(articles: RetrievedArticle[], lang: string): RetrievedArticle | undefined {
  const [top] = articles;
  if (!top || top.lang === lang) return top;
  const same = articles.find((a) => a.lang === lang);
  return same && same.score >= top.score * 0.6 ? same : top;
}

function trimPassage(text: string): string {
  const clean = text.replace(/^#+\s*/gm, '').trim();
  if (clean.length <= MAX_ANSWER_CHARS) return clean;
  const cut = clean.slice(0, MAX_ANSWER_CHARS);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'), cut.lastIndexOf('۔'), cut.lastIndexOf('\n'));
  return `${cut.slice(0, end > 200 ? end + 1 : MAX_ANSWER_CHARS).trim()}…`;
}
