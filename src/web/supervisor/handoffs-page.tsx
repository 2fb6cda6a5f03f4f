import type { HandoffLogEntry } from '../../reporting/index.js';
import { Filters, type PageQuery } from './filters.js';
import { Shell, When } from './shell.js';
import { formatters, type Locale, stringsFor } from './strings.js';

export interface HandoffsPageProps {
  locale: Locale;
  nonce: string;
  path: string;
  me: string;
  query: PageQuery;
  teams: string[];
  channels: string[];
  /** The report's query string (period and filters): the CSV link and the next page keep it. */
  reportSearch: string;
  entries?: HandoffLogEntry[];
  nextCursor?: string | null;
  error?: string;
}

const OUTCOME_CLASS: Record<string, string> = { waiting: 'pill warn', resolved: 'pill ok' };

/** The hand-off log: a row per hand-off, its transcript one click away, the same rows as CSV. */
export function HandoffsPage(props: HandoffsPageProps) {
  const t = stringsFor(props.locale);
  const f = formatters(props.locale);
  const entries = props.entries ?? [];
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={t.handoffs} page="handoffs" path={props.path} me={props.me}>
      <h1>{t.handoffs}</h1>
      <Filters
        locale={props.locale}
        action="/console/supervisor/handoffs"
        query={props.query}
        teams={props.teams}
        channels={props.channels}
        kind="handoffs"
      />
      {props.error ? (
        <div class="error" role="alert">
          <strong>{t.badPeriod}</strong>: <bdi>{props.error}</bdi>
        </div>
      ) : (
        <section class="card">
          <p>
            <a
              class="btn secondary"
              id="export-csv"
              href={`/v1/reports/handoffs/export?${props.reportSearch}`}
              download
            >
              {t.exportCsv}
            </a>
          </p>
          {entries.length === 0 ? (
            <p class="muted">{t.noHandoffs}</p>
          ) : (
            <table id="handoff-log">
              <thead>
                <tr>
                  <th>{t.when}</th>
                  <th>{t.reason}</th>
                  <th class="num">{t.confidence}</th>
                  <th class="num">{t.sentiment}</th>
                  <th>{t.team}</th>
                  <th>{t.channel}</th>
                  <th class="num">{t.waiting}</th>
                  <th>{t.agent}</th>
                  <th>{t.outcome}</th>
                  <th>{t.question}</th>
                  <th>{t.candidates}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr>
                    <td>
                      <a
                        href={`/console/supervisor/conversations/${e.conversationId}?locale=${props.locale}#handoff-${e.id}`}
                      >
                        <When iso={e.createdAt} text={f.date(e.createdAt)} />
                      </a>
                    </td>
                    <td>
                      <span class="pill">{t.reasons[e.reason] ?? e.reason}</span>
                    </td>
                    <td class="num">{f.num(e.confidence)}</td>
                    <td class="num">{f.num(e.sentiment)}</td>
                    <td>
                      <bdi>{e.team}</bdi>
                    </td>
                    <td>
                      {t.channels[e.channel] ?? e.channel}
                      {e.lang && <span class="muted">{` · ${t.langs[e.lang] ?? e.lang}`}</span>}
                    </td>
                    <td class="num">{f.duration(e.waitSeconds)}</td>
                    <td>{e.agent ? <bdi>{e.agent.name}</bdi> : '—'}</td>
                    <td>
                      <span class={OUTCOME_CLASS[e.outcome] ?? 'pill'}>{t.outcomes[e.outcome] ?? e.outcome}</span>
                    </td>
                    <td class="q">{e.question}</td>
                    <td>
                      {e.candidates.slice(0, 3).map((c) => (
                        <div>
                          <bdi>{c.title || c.articleId}</bdi> <span class="muted">{f.num(c.score)}</span>
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {props.nextCursor && (
            <div class="pager">
              <a
                class="btn secondary"
                href={`/console/supervisor/handoffs?${props.reportSearch}&locale=${props.locale}&cursor=${props.nextCursor}`}
              >
                {t.older}
              </a>
            </div>
          )}
        </section>
      )}
    </Shell>
  );
}
