import type { HandoffLogEntry, Transcript } from '../../reporting/index.js';
import { Shell, When } from './shell.js';
import { type Formatters, formatters, type Locale, type Strings, stringsFor } from './strings.js';

function HandoffMark(props: { h: HandoffLogEntry; t: Strings; f: Formatters }) {
  const { h, t, f } = props;
  return (
    <div class="handoff-mark" id={`handoff-${h.id}`}>
      <strong>{`${t.handoffAt}: ${t.reasons[h.reason] ?? h.reason}`}</strong>
      <div class="muted">
        {`${t.confidence} ${f.num(h.confidence)} · ${t.sentiment} ${f.num(h.sentiment)} · ${t.team} `}
        <bdi>{h.team}</bdi>
        {` · ${t.waiting} ${f.duration(h.waitSeconds)} · ${t.outcome}: ${t.outcomes[h.outcome] ?? h.outcome}`}
        {h.agent && (
          <>
            {` · ${t.agent}: `}
            <bdi>{h.agent.name}</bdi>
          </>
        )}
      </div>
      {h.candidates.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t.candidates}</th>
              <th class="num">{t.score}</th>
              <th class="num">{t.similarity}</th>
            </tr>
          </thead>
          <tbody>
            {h.candidates.map((c) => (
              <tr>
                <td>
                  <bdi>{c.title || c.articleId}</bdi>{' '}
                  <span class="muted" dir="ltr">
                    {c.articleId}
                  </span>
                </td>
                <td class="num">{f.num(c.score)}</td>
                <td class="num">{f.num(c.similarity)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * A conversation as a supervisor audits it: every message (notes marked) with the bot's decision,
 * confidence and sources, the customer's sentiment and votes, and each hand-off where it happened.
 * Message text is shown as text (escaped), never as markup.
 */
export function TranscriptPage(props: {
  locale: Locale;
  nonce: string;
  path: string;
  me: string;
  transcript: Transcript;
}) {
  const t = stringsFor(props.locale);
  const f = formatters(props.locale);
  const { conversation, messages, handoffs } = props.transcript;
  const marks = [...handoffs];
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={t.transcript} page="other" path={props.path} me={props.me}>
      <h1>{t.transcript}</h1>
      <p class="muted">
        {`${t.channels[conversation.channel] ?? conversation.channel} · ${conversation.lang ? (t.langs[conversation.lang] ?? conversation.lang) : ''} · ${t.status}: ${t.statuses[conversation.status] ?? conversation.status} · `}
        <When iso={conversation.createdAt} text={f.date(conversation.createdAt)} />
      </p>
      <section class="card">
        {messages.map((m) => {
          // Hand-offs logged up to this message's time come before it.
          const before = [];
          while (marks[0] && marks[0].createdAt <= m.createdAt) before.push(marks.shift() as HandoffLogEntry);
          return (
            <>
              {before.map((h) => (
                <HandoffMark h={h} t={t} f={f} />
              ))}
              <div class={`msg ${m.role}${m.internal ? ' note' : ''}`}>
                <div class="meta">
                  <strong>{m.internal ? t.note : (t.roles[m.role] ?? m.role)}</strong>
                  {m.author && <bdi>{m.author}</bdi>}
                  <When iso={m.createdAt} text={f.date(m.createdAt)} />
                  {m.decision && <span>{`${t.decision}: ${t.decisions[m.decision] ?? m.decision}`}</span>}
                  {m.role === 'bot' && m.confidence !== null && <span>{`${t.confidence} ${f.num(m.confidence)}`}</span>}
                  {m.sentiment !== null && <span>{`${t.sentiment} ${f.num(m.sentiment)}`}</span>}
                  {m.helpful !== null && <span>{m.helpful ? t.helpfulYes : t.helpfulNo}</span>}
                </div>
                <div class="body">{m.content}</div>
                {m.citations.length > 0 && (
                  <div class="meta">
                    {m.citations.map((c) => (
                      <bdi>{c.title}</bdi>
                    ))}
                  </div>
                )}
              </div>
            </>
          );
        })}
        {marks.map((h) => (
          <HandoffMark h={h} t={t} f={f} />
        ))}
      </section>
    </Shell>
  );
}

export function MessagePage(props: {
  locale: Locale;
  nonce: string;
  path: string;
  me?: string;
  title: string;
  text: string;
}) {
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={props.title} page="other" path={props.path} me={props.me}>
      <div class="error" role="alert">
        {props.text}
      </div>
    </Shell>
  );
}
