import { renderMarkdown } from '../text/markdown-html.js';
import {
  ApiError,
  type ChatApi,
  type ChatMessage,
  type ConversationStatus,
  type Session,
  sessionStore,
  type UserIdentity,
} from './api.js';
import { type FeedEvent, followFeed } from './feed.js';
import { type Locale, type Strings, stringsFor } from './i18n.js';
import { STYLES } from './styles.js';

export interface ChatOptions {
  base: string;
  locale: Locale;
  position?: 'left' | 'right';
  user?: UserIdentity;
  api: ChatApi;
}

type Child = Node | string | null | undefined | false;

/** An element built from text, never from HTML: whatever anyone wrote is shown as text. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(c);
  return el;
}

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
const SEND_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" aria-hidden="true"><path d="M3 20.5 21 12 3 3.5 3 10l12 2-12 2z"/></svg>';

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

// Typing is announced at most this often, and an agent's shown this long after their last announcement.
const TYPING_EVERY_MS = 3_000;
const TYPING_SHOWN_MS = 7_000;

const newId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * The chat: a launcher and a panel in a shadow root. Messages are kept by id, so the reply in
 * a POST's response, the same message on the live feed, and a reload's history never show twice.
 */
export class Chat {
  private readonly host: HTMLElement;
  private readonly shadow: ShadowRoot;
  private t: Strings;
  private locale: Locale;
  private position: 'left' | 'right' | undefined;
  private user: UserIdentity | undefined;
  private session: Session | undefined;
  private status: ConversationStatus = 'bot';
  private readonly messages = new Map<string, ChatMessage>();
  private readonly earlier: { id: string; messages: ChatMessage[] }[] = [];
  private readonly streaming = new Map<string, string>();
  // The agent typing (their name), until their message arrives or a few quiet seconds pass.
  private agentTyping: { name: string; timer: ReturnType<typeof setTimeout> } | undefined;
  private lastTyping = 0;
  private readonly rated = new Map<string, boolean>();
  // Survey answers given here (by message id), or the polite refusal the server gave.
  private readonly surveyed = new Map<string, string>();
  private feed: { stop(): void } | undefined;
  private feedReady: Promise<void> | undefined;
  private markReady: (() => void) | undefined;
  private loaded = false;
  private open = false;
  private sending = false;
  private notice: string | undefined;
  // Elements of the current render.
  private root!: HTMLElement;
  private panel!: HTMLElement;
  private log!: HTMLElement;
  private statusBar!: HTMLElement;
  private input!: HTMLTextAreaElement;
  private launcher!: HTMLButtonElement;
  private humanButton!: HTMLButtonElement;

  constructor(private readonly options: ChatOptions) {
    this.locale = options.locale;
    this.t = stringsFor(this.locale);
    this.position = options.position;
    this.user = options.user;
    this.host = document.createElement('div');
    this.host.id = 'sanad-widget';
    this.shadow = this.host.attachShadow({ mode: 'open' });
    document.body.append(this.host);
    const stored = sessionStore.load(options.base);
    this.session = stored && stored.userId === this.user?.id ? stored : undefined;
    this.render();
    if (this.session && sessionStorage.getItem('sanad:open') === '1') void this.setOpen(true);
  }

  // ── runtime API ──────────────────────────────────────────────────────────
  toggle(force?: boolean) {
    void this.setOpen(force ?? !this.open);
  }

  setLocale(locale: Locale) {
    this.locale = locale;
    this.t = stringsFor(locale);
    this.render();
  }

  setUser(user: UserIdentity | undefined) {
    if (user?.id === this.user?.id) return;
    this.user = user;
    this.reset();
  }

  /** Forgets this browser's conversation (a shared computer, a user signing out). */
  reset() {
    this.feed?.stop();
    this.feed = undefined;
    this.session = undefined;
    sessionStore.save(this.options.base, undefined);
    this.messages.clear();
    this.earlier.length = 0;
    this.streaming.clear();
    this.status = 'bot';
    this.loaded = false;
    this.notice = undefined;
    this.render();
  }

  // ── rendering ────────────────────────────────────────────────────────────
  private render() {
    const t = this.t;
    const rtl = this.locale === 'ar';
    // Arabic pages mirror the launcher to the left, unless the site chose a side.
    const side = this.position ?? (rtl ? 'left' : 'right');
    this.shadow.replaceChildren();
    this.shadow.append(h('style', {}, STYLES));

    this.launcher = h('button', {
      class: 'launcher',
      type: 'button',
      'aria-label': t.launcher,
      'aria-expanded': String(this.open),
      'aria-controls': 'sanad-panel',
    }) as HTMLButtonElement;
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.addEventListener('click', () => this.toggle());

    const closeButton = h('button', { type: 'button', 'aria-label': t.close }, '×');
    closeButton.addEventListener('click', () => this.toggle(false));
    this.statusBar = h('div', { class: 'status', role: 'status' });
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.title, tabindex: '0' });
    this.humanButton = h('button', { type: 'button', class: 'human' }, t.human) as HTMLButtonElement;
    this.humanButton.addEventListener('click', () => void this.send(t.humanSent, 'human'));

    const inputId = 'sanad-input';
    this.input = h('textarea', {
      id: inputId,
      rows: '1',
      placeholder: t.placeholder,
      dir: 'auto',
    }) as HTMLTextAreaElement;
    this.input.addEventListener('input', () => this.announceTyping());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void this.submit();
      }
    });
    const sendButton = h('button', { type: 'submit', 'aria-label': t.send });
    sendButton.innerHTML = SEND_ICON;
    const form = h('form', {}, h('label', { for: inputId, class: 'sr' }, t.inputLabel), this.input, sendButton);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });

    this.panel = h(
      'section',
      {
        class: 'panel',
        id: 'sanad-panel',
        role: 'dialog',
        'aria-label': t.title,
        lang: this.locale,
        dir: rtl ? 'rtl' : 'ltr',
      },
      h('header', {}, h('div', { class: 'titles' }, h('h2', {}, t.title), h('p', {}, t.subtitle)), closeButton),
      this.statusBar,
      this.log,
      h('div', { class: 'actions' }, this.humanButton),
      form,
    );
    this.panel.hidden = !this.open;
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.toggle(false);
        this.launcher.focus();
      }
    });

    this.root = h(
      'div',
      { class: `root ${side}`, dir: rtl ? 'rtl' : 'ltr', lang: this.locale },
      this.panel,
      this.launcher,
    );
    this.shadow.append(this.root);
    this.renderMessages();
  }

  private renderStatus() {
    const t = this.t;
    const text =
      this.status === 'waiting_human'
        ? t.queued
        : this.status === 'assigned'
          ? t.assigned
          : this.status === 'resolved' || this.status === 'closed'
            ? t.resolved
            : this.notice;
    this.statusBar.textContent = text ?? '';
    this.statusBar.hidden = !text;
    this.humanButton.hidden = this.status === 'waiting_human' || this.status === 'assigned';
  }

  private renderMessages() {
    const t = this.t;
    const nodes: Node[] = [];
    for (const past of this.earlier) {
      nodes.push(h('div', { class: 'divider' }, t.earlier));
      for (const m of past.messages) nodes.push(this.messageNode(m, false));
    }
    if (this.earlier.length > 0) nodes.push(h('div', { class: 'divider' }));
    nodes.push(this.bubble('welcome', t.bot, renderMarkdown(t.welcome)));
    const current = [...this.messages.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const m of current) {
      if (m.role === 'system') continue;
      nodes.push(this.messageNode(m, true));
      const stream = this.streaming.get(m.id);
      if (stream !== undefined && !current.some((r) => r.replyTo === m.id && r.role === 'bot')) {
        const node = this.bubble('bot streaming', t.bot, renderMarkdown(stream));
        node.setAttribute('aria-hidden', 'true');
        nodes.push(node);
      }
    }
    if (this.agentTyping) {
      nodes.push(h('div', { class: 'typing' }, h('bdi', {}, this.agentTyping.name || t.agent), ` ${t.typing}`));
    }
    this.log.replaceChildren(...nodes);
    this.log.scrollTop = this.log.scrollHeight;
    this.renderStatus();
  }

  /** Tells the agent the customer is writing: only while a person holds or awaits the conversation. */
  private announceTyping() {
    const session = this.session;
    const now = Date.now();
    if (!session?.conversationId || !this.input.value.trim()) return;
    if (this.status !== 'waiting_human' && this.status !== 'assigned') return;
    if (now - this.lastTyping < TYPING_EVERY_MS) return;
    this.lastTyping = now;
    void this.options.api.typing(session.token, session.conversationId).catch(() => undefined);
  }

  private showAgentTyping(name: string | null) {
    if (this.agentTyping) clearTimeout(this.agentTyping.timer);
    const timer = setTimeout(() => {
      this.agentTyping = undefined;
      this.renderMessages();
    }, TYPING_SHOWN_MS);
    this.agentTyping = { name: name ?? '', timer };
    this.renderMessages();
  }

  private stopAgentTyping() {
    if (!this.agentTyping) return;
    clearTimeout(this.agentTyping.timer);
    this.agentTyping = undefined;
  }

  private bubble(kind: string, who: string, html: string): HTMLElement {
    const body = h('div', { class: 'body', dir: 'auto' });
    // The one place HTML is set: markdown-it's output, which escapes all text and allows no raw HTML.
    body.innerHTML = html;
    return h('div', { class: `msg ${kind}` }, h('span', { class: 'who' }, who), body);
  }

  private messageNode(m: ChatMessage, current: boolean): HTMLElement {
    const t = this.t;
    if (m.role === 'customer') {
      const node = h(
        'div',
        { class: 'msg customer', 'data-id': m.id },
        h('span', { class: 'who' }, t.you),
        // Bidi overrides would reorder the text around them: shown inert, as the server does for replies.
        h('div', { class: 'body', dir: 'auto' }, h('p', {}, m.content.replace(BIDI_CONTROLS, ''))),
      );
      if (m.id.startsWith('pending:failed')) node.classList.add('failed');
      return node;
    }
    // An agent's reply says who wrote it: the customer is talking to a person now.
    const who = m.role === 'agent' ? (m.author?.name?.replace(BIDI_CONTROLS, '') ?? t.agent) : t.bot;
    const node = this.bubble(m.role === 'agent' ? 'agent' : 'bot', who, renderMarkdown(m.content));
    node.setAttribute('data-id', m.id);
    if (m.role === 'bot' && m.citations.length > 0) {
      const list = h('ul');
      for (const c of m.citations) {
        const link = h('a', {
          href: `${this.options.base}/help/articles/${encodeURIComponent(c.articleId)}?locale=${this.locale}`,
          target: '_blank',
          rel: 'noopener noreferrer',
        });
        link.append(h('bdi', {}, c.title));
        list.append(h('li', {}, link));
      }
      node.append(h('div', { class: 'sources' }, h('strong', {}, t.sources), list));
    }
    if (current && m.role === 'bot' && m.decision === 'answer') node.append(this.rating(m.id));
    if (current && m.role === 'bot' && m.survey) node.append(this.surveyForm(m));
    return node;
  }

  /** The scale as buttons (stars for CSAT), an optional comment, and a send button. */
  private surveyForm(m: ChatMessage): HTMLElement {
    const t = this.t;
    const survey = m.survey as NonNullable<ChatMessage['survey']>;
    const done = this.surveyed.get(m.id);
    if (done !== undefined) return h('div', { class: 'rate', role: 'status' }, done);
    let chosen: number | undefined;
    const scale = h('div', { class: 'scale', role: 'radiogroup', 'aria-label': t.scoreLabel });
    const buttons: HTMLElement[] = [];
    for (let score = survey.min; score <= survey.max; score++) {
      const b = h(
        'button',
        { type: 'button', role: 'radio', 'aria-checked': 'false', 'aria-label': `${t.scoreLabel} ${score}` },
        survey.kind === 'csat' ? '★' : String(score),
      );
      b.addEventListener('click', () => {
        chosen = score;
        buttons.forEach((x, i) => {
          const on = survey.kind === 'csat' ? i + survey.min <= score : i + survey.min === score;
          x.classList.toggle('on', on);
          x.setAttribute('aria-checked', String(i + survey.min === score));
        });
      });
      buttons.push(b);
      scale.append(b);
    }
    const comment = h('textarea', {
      rows: '2',
      'aria-label': t.surveyComment,
      placeholder: t.surveyComment,
      dir: 'auto',
    }) as HTMLTextAreaElement;
    const send = h('button', { type: 'button', class: 'send-survey' }, t.surveySend);
    send.addEventListener('click', () => {
      if (chosen === undefined || !this.session) return;
      void this.options.api
        .answerSurvey(this.session.token, m.conversationId, {
          kind: survey.kind,
          score: chosen,
          ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
        })
        .then(
          () => this.surveyed.set(m.id, t.surveyThanks),
          (error: unknown) => this.surveyed.set(m.id, error instanceof ApiError ? error.message : t.failed),
        )
        .finally(() => this.renderMessages());
    });
    return h('div', { class: 'survey' }, scale, comment, send);
  }

  private rating(messageId: string): HTMLElement {
    const t = this.t;
    const verdict = this.rated.get(messageId);
    if (verdict !== undefined) {
      return h('div', { class: 'rate', role: 'status' }, verdict ? t.thanks : `${t.thanks} ${t.notHelpedOffer}`);
    }
    const yes = h('button', { type: 'button' }, t.yes);
    const no = h('button', { type: 'button' }, t.no);
    yes.addEventListener('click', () => void this.rate(messageId, true));
    no.addEventListener('click', () => void this.rate(messageId, false));
    return h('div', { class: 'rate', role: 'group', 'aria-label': t.helpful }, h('span', {}, t.helpful), yes, no);
  }

  // ── behaviour ────────────────────────────────────────────────────────────
  private async setOpen(open: boolean) {
    this.open = open;
    try {
      sessionStorage.setItem('sanad:open', open ? '1' : '0');
    } catch {}
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (!open) return;
    this.input.focus();
    if (this.session && !this.loaded) await this.load();
  }

  /** The conversation so far (and an identified user's earlier ones), then the live feed. */
  private async load() {
    const session = this.session;
    if (!session) return;
    this.loaded = true;
    this.startFeed(session);
    try {
      const { conversations } = await this.options.api.history(session.token);
      this.earlier.length = 0;
      for (const { conversation, messages } of conversations) {
        if (conversation.id === session.conversationId) {
          this.status = conversation.status;
          for (const m of messages) this.messages.set(m.id, m);
        } else if (messages.length > 0) {
          this.earlier.unshift({ id: conversation.id, messages });
        }
      }
      this.renderMessages();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.expire();
    }
  }

  private startFeed(session: Session) {
    this.feed?.stop();
    this.feedReady = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.feed = followFeed(
      this.options.api.feedUrl(session.conversationId),
      session.token,
      () => this.session?.lastEventId,
      {
        onEvent: (e) => this.onFeed(e),
        onUnauthorized: () => this.expire(),
        onConnection: (connected) => {
          this.notice = connected ? undefined : this.t.reconnecting;
          this.renderStatus();
        },
      },
    );
  }

  private onFeed(e: FeedEvent) {
    if (e.event === 'ready') {
      this.markReady?.();
      return;
    }
    if (e.event === 'reset') {
      // Events were pruned while away: read the conversation again.
      if (this.session) this.session.lastEventId = undefined;
      this.loaded = false;
      void this.load();
      return;
    }
    if (e.event === 'typing') {
      const who = e.data as { role?: string; name?: string | null };
      if (who.role === 'agent') this.showAgentTyping(who.name ?? null);
      return;
    }
    if (e.event === 'reply.streaming') {
      const { replyTo, text } = e.data as { replyTo: string; text: string };
      this.streaming.set(replyTo, text);
      this.renderMessages();
      return;
    }
    if (e.id && this.session) {
      this.session.lastEventId = e.id;
      sessionStore.save(this.options.base, this.session);
    }
    const data = e.data as Partial<ChatMessage> & { status?: ConversationStatus };
    if (e.event === 'message.created' && data.id) {
      // Our own message, heard before the POST that sent it returned.
      if (data.channelMessageId) this.messages.delete(`pending:${data.channelMessageId}`);
      this.messages.set(data.id, data as ChatMessage);
      if (data.replyTo) this.streaming.delete(data.replyTo);
      if (data.role === 'agent') this.stopAgentTyping();
      this.renderMessages();
    } else if (data.status && e.event.startsWith('conversation.')) {
      this.status = data.status;
      this.renderStatus();
    }
  }

  private expire() {
    this.feed?.stop();
    this.feed = undefined;
    this.session = undefined;
    this.loaded = false;
    sessionStore.save(this.options.base, undefined);
  }

  private async ensureSession(): Promise<Session> {
    if (this.session && this.status !== 'resolved' && this.status !== 'closed') return this.session;
    const started = await this.options.api.startSession(this.locale, this.user);
    if (started.conversationId !== this.session?.conversationId) {
      // A new conversation: what was on screen becomes an earlier one.
      const previous = [...this.messages.values()];
      if (previous.length > 0 && this.session)
        this.earlier.push({ id: this.session.conversationId, messages: previous });
      this.messages.clear();
      this.status = 'bot';
    }
    this.session = { ...started, userId: this.user?.id };
    sessionStore.save(this.options.base, this.session);
    this.loaded = true;
    this.startFeed(this.session);
    // Hear the reply as it is produced: wait (briefly) until the feed is following.
    await Promise.race([this.feedReady, new Promise((r) => setTimeout(r, 3000))]);
    return this.session;
  }

  private async submit() {
    const text = this.input.value.trim();
    if (!text || this.sending) return;
    this.input.value = '';
    await this.send(text);
    this.input.focus();
  }

  private async send(text: string, intent?: 'human') {
    this.sending = true;
    const channelMessageId = newId();
    const pendingId = `pending:${channelMessageId}`;
    this.messages.set(pendingId, this.pending(pendingId, text));
    this.renderMessages();
    try {
      let session = await this.ensureSession();
      const body = { text, channelMessageId, ...(intent ? { intent } : {}) };
      let result: Awaited<ReturnType<ChatApi['send']>>;
      try {
        result = await this.options.api.send(session.token, session.conversationId, body);
      } catch (error) {
        // Closed by an agent meanwhile, or the token lapsed: start over once and send again.
        if (!(error instanceof ApiError) || ![401, 403, 404, 409].includes(error.status)) throw error;
        this.status = 'resolved';
        if (error.status !== 409) this.expire();
        session = await this.ensureSession();
        result = await this.options.api.send(session.token, session.conversationId, body);
      }
      this.messages.delete(pendingId);
      this.messages.set(result.message.id, result.message);
      if (result.reply) {
        this.messages.set(result.reply.id, result.reply);
        this.streaming.delete(result.message.id);
      }
    } catch {
      this.messages.delete(pendingId);
      const failedId = `pending:failed:${channelMessageId}`;
      this.messages.set(failedId, this.pending(failedId, text));
      this.notice = this.t.failed;
    } finally {
      this.sending = false;
      this.renderMessages();
    }
  }

  private pending(id: string, text: string): ChatMessage {
    return {
      id,
      conversationId: this.session?.conversationId ?? '',
      role: 'customer',
      content: text,
      lang: null,
      replyTo: null,
      citations: [],
      decision: null,
      createdAt: new Date().toISOString(),
    };
  }

  private async rate(messageId: string, helpful: boolean) {
    if (!this.session) return;
    this.rated.set(messageId, helpful);
    this.renderMessages();
    try {
      await this.options.api.rate(this.session.token, messageId, helpful);
    } catch {
      this.rated.delete(messageId);
      this.renderMessages();
    }
  }
}
