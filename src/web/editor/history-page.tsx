import type { Article } from '../../knowledge/article.js';
import type { ArticleVersion } from '../../knowledge/articles.js';
import { Shell, when } from './shell.js';
import { editorStrings, type Locale } from './strings.js';
import { versionDiff } from './version-diff.js';

/** "Name <staff:id>" as stored: the name is what an editor reads. */
const who = (changedBy: string | null) => (changedBy ? changedBy.replace(/\s*<[^>]*>$/, '') : '—');

/** Version history with a diff between any two versions (a GET form) and restore per version. */
export function HistoryPage(props: {
  locale: Locale;
  nonce: string;
  me: string;
  article: Article;
  versions: ArticleVersion[];
  from: ArticleVersion;
  to: ArticleVersion;
}) {
  const { locale, article, versions, from, to } = props;
  const t = editorStrings(locale);
  const base = `/console/editor/articles/${encodeURIComponent(article.id)}`;
  const diff = versionDiff(from, to);
  const names: Record<string, string> = {
    title: t.title,
    lang: t.language,
    tags: t.tag,
    team: t.team,
    questions: t.questions,
    body: t.body,
    status: t.status,
  };
  const fieldName = (f: string) => names[f] ?? f;
  const pick = (name: 'from' | 'to', chosen: number) => (
    <label>
      {name === 'from' ? t.from : t.to}
      <select name={name}>
        {versions.map((v) => (
          <option value={String(v.version)} selected={v.version === chosen}>
            {`v${v.version} · ${t.statuses[v.status]}`}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Shell
      locale={locale}
      nonce={props.nonce}
      title={`${t.history}: ${article.title}`}
      path={`${base}/history`}
      section="articles"
      me={props.me}
      data={{ page: 'history', 'article-id': article.id }}
    >
      <div class="bar">
        <h1>
          {t.history}: <bdi>{article.title}</bdi>
        </h1>
        <span class={`pill ${article.status}`}>{t.statuses[article.status]}</span>
        <a class="btn" href={base}>
          {t.articles}
        </a>
      </div>
      <p class="status-line" id="status" role="status" aria-live="polite" />
      <div class="card">
        <table class="list versions">
          <thead>
            <tr>
              <th>{t.version}</th>
              <th>{t.status}</th>
              <th>{t.changedFields}</th>
              <th>{t.by}</th>
              <th>{t.note}</th>
              <th>{t.updated}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>v{v.version}</td>
                <td>
                  <span class={`pill ${v.status}`}>{t.statuses[v.status]}</span>
                </td>
                <td>{v.changed_fields.map((f) => fieldName(f)).join('، ')}</td>
                <td>
                  <bdi>{who(v.changed_by)}</bdi>
                </td>
                <td>
                  <bdi>{v.change_note ?? ''}</bdi>
                </td>
                <td class="meta">{when(v.changed_at, locale)}</td>
                <td>
                  {v.version !== article.version && (
                    <button type="button" class="btn restore" data-version={String(v.version)}>
                      {t.restore}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section class="card pane" style="margin-top:16px" aria-labelledby="compare-title">
        <form class="bar" method="get" action={`${base}/history`}>
          <h2 id="compare-title">{t.compare}</h2>
          {pick('from', from.version)}
          {pick('to', to.version)}
          <button class="btn" type="submit">
            {t.compare}
          </button>
        </form>
        {diff.length === 0 ? (
          <p>{t.noDifference}</p>
        ) : (
          diff.map((d) => (
            <div>
              <h2>{fieldName(d.field)}</h2>
              <pre class="lines" dir="auto">
                {d.lines.map((l) => (
                  <span class={l.kind}>{`${l.kind === 'add' ? '+ ' : l.kind === 'del' ? '− ' : '  '}${l.text}`}</span>
                ))}
              </pre>
            </div>
          ))
        )}
      </section>
    </Shell>
  );
}
