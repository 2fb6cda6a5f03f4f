import { raw } from 'hono/html';
import type { Article } from '../knowledge/article.js';
import { renderMarkdown } from '../text/markdown-html.js';
import { safeInline, safeMarkdown } from '../text/safe-markdown.js';
import { Layout, type Locale } from './layout.js';

/** `/help`: the published articles in the visitor's language. */
export function HelpIndex(props: { locale: Locale; nonce: string; articles: Pick<Article, 'id' | 'title'>[] }) {
  const ar = props.locale === 'ar';
  return (
    <Layout
      locale={props.locale}
      nonce={props.nonce}
      path="/help"
      title={ar ? 'مركز المساعدة — سوق نخيل' : 'Help centre — Souq Nakheel'}
    >
      <div class="article">
        <h1>{ar ? 'مركز المساعدة' : 'Help centre'}</h1>
        <ul class="list">
          {props.articles.map((a) => (
            <li>
              <a href={`/help/articles/${encodeURIComponent(a.id)}?locale=${props.locale}`}>{safeInline(a.title)}</a>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  );
}

/**
 * `/help/articles/:id`: a published article, the page the bot's sources link to. The body is
 * an editor's Markdown: sanitised, then rendered without raw HTML.
 */
export function HelpArticle(props: { locale: Locale; nonce: string; article: Article }) {
  const { article } = props;
  const ar = props.locale === 'ar';
  const updated = new Date(article.updated_at).toLocaleDateString(ar ? 'ar-SA' : 'en-GB', { dateStyle: 'long' });
  return (
    <Layout
      locale={props.locale}
      nonce={props.nonce}
      path={`/help/articles/${encodeURIComponent(article.id)}`}
      title={`${safeInline(article.title)} — ${ar ? 'مركز المساعدة' : 'Help centre'}`}
    >
      <article class="article" lang={article.lang} dir={article.lang === 'ar' ? 'rtl' : 'ltr'}>
        <h1>{safeInline(article.title)}</h1>
        <p class="meta">{ar ? `آخر تحديث: ${updated}` : `Last updated: ${updated}`}</p>
        {raw(renderMarkdown(safeMarkdown(article.body)))}
      </article>
    </Layout>
  );
}
