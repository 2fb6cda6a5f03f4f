import type { EventInput } from '../platform/events/outbox.js';
import type { Article } from './article.js';

/**
 * The event an article change causes: `article.published` / `article.archived` when its status
 * moved there (the index and, next, the editor's answer diff follow these), else
 * `article.created` or `article.updated`.
 */
export function articleEvent(article: Article, changed: readonly string[], created = false): EventInput {
  const statusMoved = changed.includes('status') || (created && article.status === 'published');
  const type =
    statusMoved && article.status !== 'draft'
      ? `article.${article.status}`
      : created
        ? 'article.created'
        : 'article.updated';
  return {
    type,
    data: {
      articleId: article.id,
      title: article.title,
      lang: article.lang,
      status: article.status,
      version: article.version,
      changed: [...changed],
      by: article.updated_by,
    },
  };
}
