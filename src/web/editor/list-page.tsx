import type { Article } from '../../knowledge/article.js';
import { Shell, when } from './shell.js';
import { editorStrings, type Locale } from './strings.js';

export interface ListQuery {
  q?: string;
  lang?: string;
  tag?: string;
  team?: string;
  status?: string;
}

/** The article list: a GET form of filters over the same listArticles the API uses. */
export function ListPage(props: {
  locale: Locale;
  nonce: string;
  me: string;
  articles: Article[];
  query: ListQuery;
  tags: string[];
  teams: string[];
}) {
  const { locale, query } = props;
  const t = editorStrings(locale);
  const select = (name: keyof ListQuery, label: string, options: [string, string][]) => (
    <label>
      {label}
      <select name={name}>
        <option value="">{t.any}</option>
        {options.map(([value, text]) => (
          <option value={value} selected={query[name] === value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Shell
      locale={locale}
      nonce={props.nonce}
      title={t.articles}
      path="/console/editor"
      section="articles"
      me={props.me}
    >
      <div class="bar">
        <h1>{t.articles}</h1>
        <a class="btn primary" href="/console/editor/articles/new">
          {t.newArticle}
        </a>
        <form class="filters" method="get" action="/console/editor">
          <label>
            {t.search}
            <input type="search" name="q" value={query.q ?? ''} placeholder={t.searchHint} maxlength={200} />
          </label>
          {select('lang', t.language, [
            ['ar', t.langs.ar as string],
            ['en', t.langs.en as string],
          ])}
          {select(
            'tag',
            t.tag,
            props.tags.map((x) => [x, x]),
          )}
          {select(
            'team',
            t.team,
            props.teams.map((x) => [x, x]),
          )}
          {select(
            'status',
            t.status,
            ['draft', 'published', 'archived'].map((s) => [s, t.statuses[s] as string]),
          )}
          <button class="btn" type="submit">
            {t.filter}
          </button>
        </form>
      </div>
      <div class="card">
        {props.articles.length === 0 ? (
          <p class="pane">{t.noArticles}</p>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th>{t.title}</th>
                <th>{t.status}</th>
                <th>{t.language}</th>
                <th>{t.tag}</th>
                <th>{t.team}</th>
                <th>{t.version}</th>
                <th>{t.updated}</th>
              </tr>
            </thead>
            <tbody>
              {props.articles.map((a) => (
                <tr>
                  <td>
                    <a href={`/console/editor/articles/${encodeURIComponent(a.id)}`} dir="auto">
                      {a.title}
                    </a>
                    <div class="meta" dir="ltr">
                      {a.id}
                    </div>
                  </td>
                  <td>
                    <span class={`pill ${a.status}`}>{t.statuses[a.status]}</span>
                  </td>
                  <td>{t.langs[a.lang]}</td>
                  <td>{a.tags.join('، ')}</td>
                  <td>{a.team ?? '—'}</td>
                  <td>{a.version}</td>
                  <td class="meta">{when(a.updated_at, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Shell>
  );
}
