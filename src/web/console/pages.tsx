import type { Child } from 'hono/jsx';
import { Account, otherLanguageHref, StaffPage } from '../staff-page.js';
import { CHANNELS, type ConsoleLocale, type ConsoleStrings, consoleStrings, labelOf } from './strings.js';
import { CONSOLE_CSS } from './styles.js';

export interface Me {
  id: string;
  name: string;
  available: boolean;
}

interface ShellProps {
  locale: ConsoleLocale;
  nonce: string;
  title: string;
  /** The page's path, for the language switch. */
  path: string;
  page: 'login' | 'queue' | 'conversation';
  me?: Me;
  data?: Record<string, string>;
  children: Child;
}

/**
 * A console page: the staff frame with the console's links, the availability switch, and the
 * client script that makes it live. What the script needs is in data attributes (escaped).
 */
function Shell(props: ShellProps) {
  const { locale, me } = props;
  const t = consoleStrings(locale);
  const data: Record<string, string> = { page: props.page, locale, ...props.data };
  if (me) data.me = me.id;
  return (
    <StaffPage
      locale={locale}
      nonce={props.nonce}
      title={props.title}
      css={CONSOLE_CSS}
      brand={{ href: `/console?locale=${locale}`, name: t.brand, area: t.console }}
      nav={
        me && (
          <a href={`/console?locale=${locale}`} aria-current={props.page === 'queue' ? 'page' : undefined}>
            {t.queue}
          </a>
        )
      }
      tools={
        me && (
          <button
            type="button"
            id="availability"
            class="switch"
            role="switch"
            aria-checked={me.available ? 'true' : 'false'}
          >
            <span class="track" aria-hidden="true" />
            <span>{t.available}</span>
          </button>
        )
      }
      otherLanguage={{ href: otherLanguageHref(props.path, locale), label: t.otherLanguage }}
      account={me && <Account name={me.name} signOut={t.signOut} />}
      data={data}
      script="/console/app.js"
    >
      {props.children}
    </StaffPage>
  );
}

export function LoginPage(props: { locale: ConsoleLocale; nonce: string; next: string; notice?: 'not-an-agent' }) {
  const t = consoleStrings(props.locale);
  return (
    <Shell
      locale={props.locale}
      nonce={props.nonce}
      title={t.signIn}
      path={`/console/login?next=${encodeURIComponent(props.next)}`}
      page="login"
      data={{ next: props.next }}
    >
      <section class="card login" aria-labelledby="login-title">
        <h1 id="login-title">{t.signInTitle}</h1>
        <p class="muted">{props.notice ? t.notAnAgent : t.signInHint}</p>
        <form id="login" method="post" action="/v1/auth/login" novalidate>
          <label>
            {t.email}
            <input type="email" name="email" autocomplete="username" required autofocus dir="ltr" />
          </label>
          <label>
            {t.password}
            <input type="password" name="password" autocomplete="current-password" required dir="ltr" />
          </label>
          <p class="error" id="login-error" role="alert" />
          <button class="btn primary" type="submit">
            {t.signIn}
          </button>
        </form>
      </section>
    </Shell>
  );
}

function Filter(props: {
  t: ConsoleStrings;
  name: string;
  label: string;
  value?: string;
  options: [string, string][];
}) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">{props.t.any}</option>
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface QueueQuery {
  team?: string;
  channel?: string;
  lang?: string;
  view?: string;
}

export function QueuePage(props: { locale: ConsoleLocale; nonce: string; me: Me; teams: string[]; query: QueueQuery }) {
  const t = consoleStrings(props.locale);
  const q = props.query;
  const mine = q.view === 'mine';
  return (
    <Shell locale={props.locale} nonce={props.nonce} title={t.queue} path="/console" page="queue" me={props.me}>
      <h1 id="queue-title">{t.queue}</h1>
      <div class="bar">
        <fieldset class="tabs">
          <legend class="sr-only">{t.queue}</legend>
          <button type="button" data-view="waiting" aria-pressed={mine ? 'false' : 'true'}>
            {t.waiting}
          </button>
          <button type="button" data-view="mine" aria-pressed={mine ? 'true' : 'false'}>
            {t.mine}
          </button>
        </fieldset>
        <p class="live" id="live" role="status" data-connected="false">
          {t.offline}
        </p>
        <form class="filters" id="filters" method="get" action="/console" aria-label={t.filters}>
          <input type="hidden" name="locale" value={props.locale} />
          <Filter t={t} name="team" label={t.team} value={q.team} options={props.teams.map((x) => [x, x])} />
          <Filter
            t={t}
            name="channel"
            label={t.channel}
            value={q.channel}
            options={CHANNELS.map((c) => [c, labelOf(t, 'ch', c)])}
          />
          <Filter
            t={t}
            name="lang"
            label={t.language}
            value={q.lang}
            options={[
              ['ar', t.lang_ar],
              ['en', t.lang_en],
            ]}
          />
        </form>
      </div>
      <p class="sr-only" id="announce" aria-live="polite" />
      <div class="card">
        <table class="queue" aria-labelledby="queue-title">
          <thead>
            <tr>
              <th scope="col">{t.contact}</th>
              <th scope="col">{t.channel}</th>
              <th scope="col">{t.language}</th>
              <th scope="col">{t.reason}</th>
              <th scope="col">{t.confidence}</th>
              <th scope="col">{t.sentiment}</th>
              <th scope="col">{t.waitingTime}</th>
              <th scope="col">{t.sla}</th>
              <th scope="col">{t.actions}</th>
            </tr>
          </thead>
          <tbody id="queue-rows" aria-busy="true" />
        </table>
      </div>
      <p class="error" id="queue-error" role="alert" />
    </Shell>
  );
}

export function ConversationPage(props: {
  locale: ConsoleLocale;
  nonce: string;
  me: Me;
  conversationId: string;
  /** Whether a model is configured to translate messages and replies. */
  translation: boolean;
}) {
  const t = consoleStrings(props.locale);
  return (
    <Shell
      locale={props.locale}
      nonce={props.nonce}
      title={t.conversation}
      path={`/console/conversations/${props.conversationId}`}
      page="conversation"
      me={props.me}
      data={{
        conversation: props.conversationId,
        'me-name': props.me.name,
        translation: props.translation ? 'on' : 'off',
      }}
    >
      <div class="desk">
        <section class="card" aria-labelledby="contact-name">
          <div class="conv-head">
            <a href={`/console?locale=${props.locale}`}>{t.back}</a>
            <h1>
              <bdi id="contact-name">…</bdi>
            </h1>
            <p class="meta" id="conv-meta" />
            <div class="conv-actions">
              <button type="button" class="btn primary" id="claim" hidden>
                {t.claim}
              </button>
              <button type="button" class="btn" id="resolve">
                {t.resolve}
              </button>
              <button type="button" class="btn" id="handback">
                {t.handBack}
              </button>
            </div>
          </div>
          <p class="notice" id="translation-notice" role="status" hidden />
          <ol class="thread" id="thread" role="log" aria-live="polite" aria-label={t.conversation} />
          <p class="typing" id="typing" aria-live="polite" hidden>
            {t.typing}
          </p>
          <form class="composer" id="composer">
            <div class="editing" id="editing" hidden>
              <span>{t.editing}</span>
              <button type="button" class="btn" id="cancel-edit">
                {t.cancelEdit}
              </button>
            </div>
            <label class="sr-only" for="reply" id="reply-label">
              {t.reply}
            </label>
            <div class="reply-wrap">
              <div class="picker" id="template-picker" role="listbox" aria-label={t.templates} hidden />
              <textarea
                id="reply"
                name="text"
                rows={3}
                placeholder={t.replyPlaceholder}
                role="combobox"
                aria-autocomplete="list"
                aria-controls="template-picker"
                aria-expanded="false"
                aria-describedby="composer-keys composer-error"
                dir="auto"
                autofocus
              />
            </div>
            <p class="hint" id="composer-hint" role="status" hidden />
            <p class="keys" id="composer-keys">
              <kbd>Enter</kbd> {t.keysSend} · <kbd>Shift+Enter</kbd> {t.keysNewline} · <kbd>/</kbd> {t.keysTemplates}
            </p>
            <div class="row">
              <label>
                <input type="checkbox" id="note-toggle" /> {t.noteToggle}
              </label>
              <p class="error" id="composer-error" role="alert" />
              <button type="button" class="btn" id="translate-reply" hidden />
              <button type="submit" class="btn primary" id="send">
                {t.send}
              </button>
            </div>
          </form>
        </section>
        <aside class="side">
          <section class="card" aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">{t.suggestions}</h2>
            <div id="suggestions" aria-live="polite" />
          </section>
          <section class="card" aria-labelledby="context-title">
            <h2 id="context-title">{t.context}</h2>
            <div id="context" />
          </section>
        </aside>
      </div>
    </Shell>
  );
}
