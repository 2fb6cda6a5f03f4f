import type { ArticleContent } from '../../knowledge/article.js';
import { Shell } from './shell.js';
import { editorStrings, type Locale } from './strings.js';

/**
 * One article in the editor: the form (title, language, tags, team, example questions as a
 * list, Markdown body) beside its live preview, the actions, and the answer diff. A new article
 * has no version; one from a knowledge gap arrives with its questions filled in.
 */
export function ArticlePage(props: {
  locale: Locale;
  nonce: string;
  me: string;
  article: ArticleContent & { version?: number };
  isNew: boolean;
  fromGap?: boolean;
}) {
  const { locale, article } = props;
  const t = editorStrings(locale);
  const archived = article.status === 'archived';
  const path = props.isNew
    ? '/console/editor/articles/new'
    : `/console/editor/articles/${encodeURIComponent(article.id)}`;
  const dir = article.lang === 'ar' ? 'rtl' : 'ltr';
  return (
    <Shell
      locale={locale}
      nonce={props.nonce}
      title={article.title || t.newArticle}
      path={path}
      section="articles"
      me={props.me}
      data={{
        page: 'article',
        'article-id': props.isNew ? '' : article.id,
        version: String(article.version ?? ''),
        status: article.status,
      }}
    >
      <div class="bar">
        <h1 dir="auto">{article.title || t.newArticle}</h1>
        {!props.isNew && <span class={`pill ${article.status}`}>{t.statuses[article.status]}</span>}
        {!props.isNew && (
          <a href={`${path}/history`} class="btn">
            {t.history}
          </a>
        )}
      </div>
      {props.fromGap && <p class="notice">{t.fromGap}</p>}
      {archived && <p class="notice">{t.archivedNote}</p>}
      <form id="article-form" class="editor" novalidate>
        <section class="card pane">
          <div class="row">
            <label class="field">
              {t.id}
              <input
                type="text"
                name="id"
                value={article.id}
                required
                dir="ltr"
                readonly={!props.isNew}
                maxlength={200}
              />
            </label>
            <label class="field">
              {t.language}
              <select name="lang">
                {(['ar', 'en'] as const).map((l) => (
                  <option value={l} selected={article.lang === l}>
                    {t.langs[l]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label class="field">
            {t.title}
            <input type="text" name="title" value={article.title} required maxlength={300} dir="auto" />
          </label>
          <div class="row">
            <label class="field">
              {t.tags}
              <input type="text" name="tags" value={article.tags.join(', ')} dir="auto" />
            </label>
            <label class="field">
              {t.team}
              <input type="text" name="team" value={article.team ?? ''} dir="auto" maxlength={60} />
            </label>
          </div>
          <fieldset class="field" style="border:0;padding:0;margin:0 0 12px">
            <legend>{t.questions}</legend>
            <span class="meta">{t.questionsHint}</span>
            <ol class="questions" id="questions" data-remove-label={t.remove}>
              {article.questions.map((q) => (
                <li>
                  <span class="q">
                    <input type="text" name="question" value={q} maxlength={500} dir="auto" aria-label={t.questions} />
                    <button type="button" class="btn remove-question">
                      {t.remove}
                    </button>
                  </span>
                </li>
              ))}
            </ol>
            <button type="button" class="btn" id="add-question">
              {t.addQuestion}
            </button>
          </fieldset>
          <label class="field">
            {t.body}
            <textarea name="body" class="body" dir={dir} required>
              {article.body}
            </textarea>
          </label>
          <div class="actions">
            <button type="button" class="btn" id="save-draft" disabled={archived}>
              {t.saveDraft}
            </button>
            <button type="button" class="btn primary" id="publish">
              {t.publish}
            </button>
            {!props.isNew && !archived && (
              <button type="button" class="btn danger" id="archive">
                {t.archive}
              </button>
            )}
          </div>
          <p class="status-line" id="status" role="status" aria-live="polite" />
        </section>
        <section class="card pane">
          <h2>{t.preview}</h2>
          <div class="preview" id="preview" dir={dir} aria-live="off" />
          <h2 style="margin-top:18px">{t.answerDiff}</h2>
          <p class="meta">{t.answerDiffHint}</p>
          <button type="button" class="btn" id="check-diff">
            {t.checkDiff}
          </button>
          <div id="answer-diff" aria-live="polite" />
        </section>
      </form>
    </Shell>
  );
}
