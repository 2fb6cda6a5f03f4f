import { Shell, When } from './shell.js';
import { formatters, type Locale, stringsFor } from './strings.js';

export interface ContainedItem {
  conversationId: string;
  channel: string;
  lang: string | null;
  createdAt: string;
  status: string;
  answers: number;
  articles: string[];
}

/** The conversations the containment rate counted, each opening its transcript: the rate can be checked. */
export function ContainedPage(props: {
  locale: Locale;
  nonce: string;
  path: string;
  me: string;
  total: number;
  items: ContainedItem[];
}) {
  const t = stringsFor(props.locale);
  const f = formatters(props.locale);
  return (
    <Shell
      locale={props.locale}
      nonce={props.nonce}
      title={t.containedTitle}
      page="other"
      path={props.path}
      me={props.me}
    >
      <h1>{`${t.containedTitle} (${f.int(props.total)})`}</h1>
      <p class="muted">{t.containedHint}</p>
      <section class="card">
        <table>
          <thead>
            <tr>
              <th>{t.when}</th>
              <th>{t.channel}</th>
              <th>{t.status}</th>
              <th class="num">{t.answers}</th>
              <th>{t.articles}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((c) => (
              <tr>
                <td>
                  <a href={`/console/supervisor/conversations/${c.conversationId}?locale=${props.locale}`}>
                    <When iso={c.createdAt} text={f.date(c.createdAt)} />
                  </a>
                </td>
                <td>{`${t.channels[c.channel] ?? c.channel}${c.lang ? ` · ${t.langs[c.lang] ?? c.lang}` : ''}`}</td>
                <td>{t.statuses[c.status] ?? c.status}</td>
                <td class="num">{f.int(c.answers)}</td>
                <td>
                  {c.articles.map((a) => (
                    <div>
                      <bdi>{a}</bdi>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Shell>
  );
}
