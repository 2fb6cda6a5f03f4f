import type { KnowledgeGap } from '../../editor/index.js';
import { Shell, when } from './shell.js';
import { editorStrings, type Locale } from './strings.js';

/** Knowledge gaps, largest first, each with its wordings and a way to a draft. */
export function GapsPage(props: { locale: Locale; nonce: string; me: string; gaps: KnowledgeGap[] }) {
  const { locale } = props;
  const t = editorStrings(locale);
  return (
    <Shell locale={locale} nonce={props.nonce} title={t.gaps} path="/console/editor/gaps" section="gaps" me={props.me}>
      <h1>{t.gaps}</h1>
      <p class="intro">{t.gapsIntro}</p>
      {props.gaps.length === 0 && <p class="card pane">{t.noGaps}</p>}
      {props.gaps.map((g) => (
        <article class="card gap" data-gap={g.id}>
          <h2>
            <bdi dir="auto">{g.questions[0]?.text}</bdi>
            <span class="pill">
              {t.asked} {g.count} {t.times}
            </span>
            <span class="meta">
              {t.langs[g.lang]} · {t.lowConfidence} {g.lowConfidence} · {t.notHelpful} {g.notHelpful} · {t.lastAsked}{' '}
              {when(g.lastAt, locale)}
            </span>
          </h2>
          <ul>
            {g.questions.map((q) => (
              <li dir="auto">
                {q.text} <span class="meta">×{q.count}</span>
              </li>
            ))}
          </ul>
          {g.articles.length > 0 && (
            <p class="meta">
              {t.reachedFor}:{' '}
              {g.articles.map((a, i) => (
                <>
                  {i > 0 && '، '}
                  <a href={`/console/editor/articles/${encodeURIComponent(a.articleId)}`}>
                    <bdi>{a.title}</bdi>
                  </a>
                </>
              ))}
            </p>
          )}
          <div class="actions">
            <a class="btn primary create-draft" href={`/console/editor/articles/new?gap=${encodeURIComponent(g.id)}`}>
              {t.createDraft}
            </a>
            {g.drafts.map((d) => (
              <a class="btn" href={`/console/editor/articles/${encodeURIComponent(d.articleId)}`}>
                {t.draftExists}: <bdi>{d.title}</bdi>
              </a>
            ))}
          </div>
        </article>
      ))}
    </Shell>
  );
}
