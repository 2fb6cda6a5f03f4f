import { followFeed } from '../../widget/feed.js';
import { fill, labelOf } from '../console/strings.js';
import { ApiError, type ConsolePage, type Conversation, type Message, type Suggestion } from './api.js';
import { composer } from './composer.js';
import { byId, h, plain } from './dom.js';
import { percent, sentimentOf } from './format.js';
import { loadContext, markdownBody, suggestionsPanel } from './side.js';
import { translations } from './translation.js';

const TYPING_MS = 15_000;
// Someone typing is announced at most this often, and shown this long after the last announcement.
const TYPING_EVERY_MS = 3_000;
const TYPING_SHOWN_MS = 7_000;

/**
 * One conversation, live: the whole thread (customer, bot with citations and confidence,
 * agents, internal notes set apart), the customer's context, suggested replies and the reply
 * box. The conversation's feed adds new messages and status changes without a reload.
 */
export function startConversation(page: ConsolePage, id: string, me: { id: string; name: string }) {
  const { t, locale, call } = page;
  const path = `/v1/conversations/${encodeURIComponent(id)}`;
  const thread = byId<HTMLOListElement>('thread');
  const typing = byId('typing');
  const claimButton = byId<HTMLButtonElement>('claim');
  const resolveButton = byId<HTMLButtonElement>('resolve');
  const handbackButton = byId<HTMLButtonElement>('handback');

  let conversation: Conversation | undefined;
  let contactName: string | null = null;
  const messages = new Map<string, Message>();
  let lastEventId: string | undefined;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTyping = 0;

  const notice = byId('translation-notice');
  const translation = translations(page, document.body.dataset.translation === 'on', () => {
    renderHeader();
    renderThread();
  });

  function showTyping(text: string, ms: number) {
    typing.textContent = text;
    typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typing.hidden = true;
    }, ms);
  }

  const reply = composer(page, {
    conversationId: id,
    lang: () => conversation?.lang ?? null,
    translateTo: () => (translation.canTranslateTo(conversation?.lang ?? null) ? (conversation?.lang ?? null) : null),
    translate: (text, to) => translation.reply(text, to),
    typing() {
      const now = Date.now();
      if (now - lastTyping < TYPING_EVERY_MS || conversation?.assignedTo !== me.id) return;
      lastTyping = now;
      void call('POST', `${path}/typing`).catch(() => undefined);
    },
    async send(body) {
      const { message } = await call<{ message: Message }>('POST', `${path}/replies`, {
        text: body.text,
        ...(body.note ? { note: true } : {}),
        ...(body.suggestionId ? { suggestionId: body.suggestionId } : {}),
      });
      add(message);
      if (body.suggestionId) suggestions.forget(body.suggestionId);
    },
  });

  const suggestions = suggestionsPanel(page, id, {
    async accept(s: Suggestion) {
      try {
        const { message } = await call<{ message: Message }>('POST', `${path}/replies`, {
          text: s.content,
          suggestionId: s.id,
        });
        add(message);
        reply.focus();
      } catch (e) {
        reply.showError(e);
        throw e;
      }
    },
    edit: (s) => reply.edit(s),
    done: () => reply.focus(),
  });

  // ── the thread ───────────────────────────────────────────────────────
  function who(m: Message): string {
    if (m.role === 'customer') return plain(contactName || t.customer);
    if (m.role === 'agent') return plain(m.author?.name ?? t.agent);
    return m.role === 'bot' ? t.bot : t.system;
  }

  function messageNode(m: Message): HTMLElement {
    const note = m.internal;
    const kind = note ? 'note' : m.role;
    const badges: (HTMLElement | null)[] = [];
    if (note) badges.push(h('span', { class: 'badge note' }, `${t.note} · ${t.noteHint}`));
    if (m.role === 'bot' && m.confidence !== null) {
      badges.push(h('span', { class: 'badge' }, fill(t.confidenceValue, { value: percent(m.confidence, locale) })));
    }
    if (m.handoffReason) {
      badges.push(h('span', { class: 'badge' }, fill(t.handoffReason, { reason: labelOf(t, 'r', m.handoffReason) })));
    }
    const mood = m.role === 'customer' ? sentimentOf(t, m.sentiment?.score ?? null) : undefined;
    if (mood && mood.kind !== 'neutral') badges.push(h('span', { class: `badge ${mood.kind}` }, mood.label));
    const time = new Date(m.createdAt).toLocaleTimeString(locale === 'ar' ? 'ar-SA' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
    });
    // Customers and notes are plain text; the bot's and agents' replies are Markdown, rendered without HTML.
    const body =
      m.role === 'bot' || (m.role === 'agent' && !note)
        ? markdownBody(m.content)
        : h(
            'div',
            { class: 'body', dir: 'auto' },
            ...plain(m.content)
              .split('\n')
              .map((line) => h('p', {}, line)),
          );
    const node = h(
      'li',
      { class: `msg ${kind}`, 'data-id': m.id, 'data-role': m.role },
      h('div', { class: 'who' }, h('bdi', {}, who(m)), h('time', { datetime: m.createdAt }, time), ...badges),
      body,
    );
    const translated = translation.under(m, conversation?.lang ?? null);
    if (translated) node.append(translated);
    if (m.role === 'bot' && m.citations.length > 0) {
      const list = h(
        'ul',
        {},
        ...m.citations.map((c) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: `/help/articles/${encodeURIComponent(c.articleId)}?locale=${m.lang === 'en' ? 'en' : 'ar'}`,
                target: '_blank',
                rel: 'noopener noreferrer',
              },
              h('bdi', {}, plain(c.title)),
            ),
          ),
        ),
      );
      node.append(h('div', { class: 'sources' }, h('strong', {}, t.sources), list));
    }
    return node;
  }

  function renderThread() {
    const atEnd = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
    thread.replaceChildren(...[...messages.values()].map(messageNode));
    if (atEnd || thread.dataset.scrolled !== 'true') {
      thread.scrollTop = thread.scrollHeight;
      thread.dataset.scrolled = 'true';
    }
  }

  function add(m: Message) {
    const known = messages.has(m.id);
    messages.set(m.id, m);
    if (known) {
      renderThread();
      return;
    }
    if (m.role === 'bot' || m.role === 'customer') {
      typing.hidden = true;
      clearTimeout(typingTimer);
    }
    thread.append(messageNode(m));
    thread.scrollTop = thread.scrollHeight;
    if (m.role === 'customer') {
      void suggestions.load();
      void loadContext(page, id);
    }
  }

  // ── the header ───────────────────────────────────────────────────────
  function renderHeader() {
    if (!conversation) return;
    const c = conversation;
    byId('contact-name').textContent = plain(contactName || t.unnamed);
    document.title = `${plain(contactName || t.unnamed)} · ${t.brand}`;
    const status =
      c.status === 'assigned' && c.assignedTo === me.id
        ? `${labelOf(t, 'st', c.status)} · ${fill(t.assignedTo, { name: me.name })}`
        : labelOf(t, 'st', c.status);
    const meta = byId('conv-meta');
    meta.replaceChildren(
      h('span', { class: 'badge', 'data-status': c.status }, status),
      h('span', {}, labelOf(t, 'ch', c.channel)),
      c.lang ? h('span', {}, labelOf(t, 'lang', c.lang)) : '',
      c.team ? h('span', {}, `${t.team}: `, h('bdi', {}, c.team)) : '',
    );
    const open = c.status !== 'resolved' && c.status !== 'closed';
    claimButton.hidden = !open || (c.status === 'assigned' && c.assignedTo === me.id);
    const needsModel = translation.notice(c.lang);
    notice.textContent = needsModel ?? '';
    notice.hidden = !needsModel;
    reply.refresh();
    resolveButton.disabled = !open;
    handbackButton.disabled = !open || c.status === 'bot';
  }

  async function load() {
    try {
      const result = await call<{ conversation: Conversation; messages: Message[] }>('GET', path);
      conversation = result.conversation;
      messages.clear();
      for (const m of result.messages) messages.set(m.id, m);
      renderHeader();
      renderThread();
    } catch (e) {
      if (e instanceof ApiError) reply.showError(e);
    }
  }

  async function act(button: HTMLButtonElement, action: 'assign' | 'resolve' | 'handback') {
    button.disabled = true;
    try {
      const result = await call<{ conversation: Conversation }>(
        'POST',
        `${path}/${action}`,
        action === 'assign' ? {} : undefined,
      );
      conversation = result.conversation;
      renderHeader();
      reply.focus();
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'already-assigned') {
        const holder = (e.body.assignedTo as { name?: string } | undefined)?.name ?? '';
        reply.showError(fill(t.heldBy, { name: plain(holder) }));
      } else reply.showError(e);
      renderHeader();
    }
  }
  claimButton.addEventListener('click', () => void act(claimButton, 'assign'));
  resolveButton.addEventListener('click', () => void act(resolveButton, 'resolve'));
  handbackButton.addEventListener('click', () => void act(handbackButton, 'handback'));

  followFeed(`${path}/feed`, undefined, () => lastEventId, {
    onEvent(event) {
      if (event.id) lastEventId = event.id;
      if (event.event === 'ready' || event.event === 'reset') void load();
      else if (event.event === 'message.created') add(event.data as unknown as Message);
      else if (event.event === 'reply.streaming') showTyping(t.typing, TYPING_MS);
      else if (event.event === 'typing') {
        const who = event.data as { role?: string };
        if (who.role === 'customer')
          showTyping(fill(t.customerTyping, { name: plain(contactName || t.customer) }), TYPING_SHOWN_MS);
      } else if (event.event.startsWith('conversation.')) void load();
    },
    // 401, 403 or 404: asking who we are signs in again when the session is what lapsed.
    onUnauthorized: () => void call('GET', '/v1/auth/me').catch(() => undefined),
    onConnection: () => {},
  });

  void (async () => {
    const context = await loadContext(page, id);
    contactName = context?.contact.name ?? null;
    renderHeader();
    renderThread();
  })();
  void load();
  void suggestions.load();
  reply.focus();
}
