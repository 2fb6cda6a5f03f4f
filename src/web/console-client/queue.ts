import { followFeed } from '../../widget/feed.js';
import { fill, labelOf } from '../console/strings.js';
import { ApiError, type ConsolePage, type QueueItem } from './api.js';
import { byId, h, plain } from './dom.js';
import { percent, sentimentOf, waited } from './format.js';

// Events that change who is waiting or whose a conversation is.
const QUEUE_EVENTS = /^conversation\./;

/**
 * The queue: waiting conversations (or mine), most urgent first, filtered by team, channel and
 * language. It reloads whenever the live feed says a conversation changed, so new hand-offs
 * appear and claimed ones leave without a reload.
 */
export function startQueue(page: ConsolePage) {
  const { t, locale, call } = page;
  const rows = byId('queue-rows');
  const filters = byId<HTMLFormElement>('filters');
  const live = byId('live');
  const announce = byId('announce');
  const error = byId('queue-error');
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('.tabs button[data-view]')];

  let items: QueueItem[] = [];
  let fetchedAt = Date.now();
  let known: Set<string> | undefined;
  let lastEventId: string | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let loading: Promise<void> | undefined;
  let again = false;

  const view = () =>
    (tabs.find((b) => b.getAttribute('aria-pressed') === 'true')?.dataset.view ?? 'waiting') as 'waiting' | 'mine';

  function query(): URLSearchParams {
    const q = new URLSearchParams();
    for (const name of ['team', 'channel', 'lang']) {
      const value = (filters.elements.namedItem(name) as HTMLSelectElement).value;
      if (value) q.set(name, value);
    }
    q.set('view', view());
    return q;
  }

  async function load(): Promise<void> {
    // One load at a time; a change during a load loads once more after it.
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        const q = query();
        const result = await call<{ items: QueueItem[] }>('GET', `/v1/queue?${q}`);
        items = result.items;
        fetchedAt = Date.now();
        const arrived = known && items.some((i) => !known?.has(i.conversationId));
        if (arrived && view() === 'waiting') announce.textContent = t.newWaiting;
        known = new Set(items.map((i) => i.conversationId));
        error.textContent = '';
        render();
      } catch (e) {
        if (e instanceof ApiError) error.textContent = e.message;
      } finally {
        loading = undefined;
        rows.setAttribute('aria-busy', 'false');
      }
    })();
    await loading;
    if (again) {
      again = false;
      await load();
    }
  }

  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => void load(), 150);
  };

  function render() {
    const elapsed = Math.floor((Date.now() - fetchedAt) / 1000);
    // Keep focus where it was when a live reload replaces the rows.
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    if (items.length === 0) {
      rows.replaceChildren(
        h('tr', { class: 'empty' }, h('td', { colspan: '9' }, view() === 'mine' ? t.emptyMine : t.emptyWaiting)),
      );
      return;
    }
    rows.replaceChildren(...items.map((item) => row(item, elapsed)));
    if (focused) rows.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  }

  function row(item: QueueItem, elapsed: number): HTMLElement {
    const name = plain(item.contactName || t.unnamed);
    const href = `/console/conversations/${encodeURIComponent(item.conversationId)}?locale=${locale}`;
    const mood = sentimentOf(t, item.sentiment);
    const waiting = item.status === 'waiting_human';
    const action = waiting
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn primary',
            'aria-label': fill(t.claimNamed, { name }),
            'data-focus-key': `claim:${item.conversationId}`,
          },
          t.claim,
        )
      : h('a', { class: 'btn', href, 'aria-label': fill(t.openNamed, { name }) }, t.open);
    if (waiting) action.addEventListener('click', () => void claim(item, action as HTMLButtonElement));
    return h(
      'tr',
      { class: item.slaBreached ? 'breached' : undefined, 'data-conversation': item.conversationId },
      h(
        'td',
        {},
        h('a', { class: 'name', href }, h('bdi', {}, name)),
        item.question ? h('div', { class: 'question', dir: 'auto' }, plain(item.question)) : null,
      ),
      h('td', {}, labelOf(t, 'ch', item.channel)),
      h('td', {}, item.lang ? labelOf(t, 'lang', item.lang) : '—'),
      h('td', {}, item.reason ? labelOf(t, 'r', item.reason) : '—'),
      h('td', {}, percent(item.confidence, locale)),
      h('td', {}, mood ? h('span', { class: `badge ${mood.kind}` }, mood.label) : '—'),
      h('td', {}, waited(t, item.waitingSeconds + elapsed, locale)),
      h('td', {}, item.slaBreached ? h('span', { class: 'badge sla' }, t.slaBreached) : ''),
      h('td', {}, action),
    );
  }

  async function claim(item: QueueItem, button: HTMLButtonElement) {
    button.disabled = true;
    try {
      await call('POST', `/v1/conversations/${encodeURIComponent(item.conversationId)}/assign`, {});
      location.assign(`/console/conversations/${encodeURIComponent(item.conversationId)}?locale=${locale}`);
    } catch (e) {
      button.disabled = false;
      if (e instanceof ApiError && e.kind === 'already-assigned') {
        const holder = (e.body.assignedTo as { name?: string } | undefined)?.name ?? '';
        error.textContent = fill(t.heldBy, { name: plain(holder) });
      } else if (e instanceof ApiError) error.textContent = e.message;
      void load();
    }
  }

  function changed() {
    const q = query();
    q.set('locale', locale);
    history.replaceState(null, '', `/console?${q}`);
    void load();
  }

  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) other.setAttribute('aria-pressed', String(other === tab));
      changed();
    });
  }
  filters.addEventListener('change', changed);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    changed();
  });

  followFeed('/v1/feed', undefined, () => lastEventId, {
    onEvent(event) {
      if (event.id) lastEventId = event.id;
      // Caught up (first connection, a reconnect, or a reset): the queue as it is now.
      if (event.event === 'ready' || event.event === 'reset' || QUEUE_EVENTS.test(event.event)) soon();
    },
    // 401, 403 or 404: asking who we are signs in again when the session is what lapsed.
    onUnauthorized: () => void call('GET', '/v1/auth/me').catch(() => undefined),
    onConnection(connected) {
      live.dataset.connected = String(connected);
      live.textContent = connected ? t.live : t.offline;
    },
  });
  // Waiting times grow between events.
  setInterval(render, 30_000);
  void load();
}
