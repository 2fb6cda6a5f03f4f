import { renderMarkdown } from '../../text/markdown-html.js';
import { fill, labelOf } from '../console/strings.js';
import { ApiError, type ConsolePage, type ConversationContext, type Suggestion } from './api.js';
import { byId, h, plain } from './dom.js';

export interface SuggestionActions {
  accept(s: Suggestion): Promise<void>;
  edit(s: Suggestion): void;
  /** Where focus goes when the panel has nothing left to offer. */
  done(): void;
}

/** Markdown a model or the knowledge base wrote, as HTML markdown-it makes (raw HTML off). */
export function markdownBody(content: string, className = 'body'): HTMLElement {
  const body = h('div', { class: className, dir: 'auto' });
  // The one place HTML is set: markdown-it's output, which escapes all text and allows no raw HTML.
  body.innerHTML = renderMarkdown(content);
  return body;
}

/**
 * Suggested replies for the customer's latest message, each accepted as is, edited in the reply
 * box, or rejected in one action.
 */
export function suggestionsPanel(page: ConsolePage, conversationId: string, actions: SuggestionActions) {
  const { t, call } = page;
  const panel = byId('suggestions');
  let list: Suggestion[] = [];
  let loading = 0;

  function render() {
    if (list.length === 0) {
      panel.replaceChildren(h('p', { class: 'muted' }, t.noSuggestions));
      return;
    }
    panel.replaceChildren(...list.map((s, i) => card(s, i + 1)));
  }

  function card(s: Suggestion, n: number): HTMLElement {
    const button = (label: string, aria: string, cls: string, act: () => void) => {
      const b = h('button', { type: 'button', class: `btn ${cls}`, 'aria-label': fill(aria, { n }) }, label);
      b.addEventListener('click', act);
      return b;
    };
    const node = h(
      'article',
      {
        class: 'suggestion',
        'data-kind': s.kind,
        'data-id': s.id,
        lang: s.lang,
        'aria-label': `${n}. ${labelOf(t, 'kind', s.kind)}`,
      },
      h('div', { class: 'kind' }, labelOf(t, 'kind', s.kind)),
      markdownBody(s.content),
      s.citations.length > 0
        ? h(
            'div',
            { class: 'cites' },
            `${t.sources}: `,
            ...s.citations.map((c, i) => h('bdi', {}, i ? ' · ' : '', plain(c.title))),
          )
        : null,
    );
    const acts = h(
      'div',
      { class: 'acts' },
      button(t.accept, t.acceptNamed, 'primary', async () => {
        try {
          await actions.accept(s);
          await load();
        } catch {
          // The reply box shows why.
        }
      }),
      button(t.edit, t.editNamed, '', () => actions.edit(s)),
      button(t.reject, t.rejectNamed, 'danger', () => void reject(s)),
    );
    node.append(acts);
    return node;
  }

  async function reject(s: Suggestion) {
    try {
      await call('POST', `/v1/suggestions/${encodeURIComponent(s.id)}/reject`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) return;
    }
    const index = list.indexOf(s);
    list = list.filter((x) => x !== s);
    render();
    const next =
      panel.querySelectorAll<HTMLButtonElement>('.suggestion .btn.primary')[Math.min(index, list.length - 1)];
    if (next) next.focus();
    else actions.done();
  }

  async function load() {
    const mine = ++loading;
    try {
      const result = await call<{ messageId: string | null; suggestions: Suggestion[] }>(
        'GET',
        `/v1/conversations/${encodeURIComponent(conversationId)}/suggestions`,
      );
      if (mine !== loading) return;
      list = result.suggestions;
      render();
    } catch (e) {
      if (e instanceof ApiError) panel.replaceChildren(h('p', { class: 'error' }, e.message));
    }
  }

  function forget(id: string) {
    list = list.filter((s) => s.id !== id);
    render();
  }

  return { load, forget };
}

const SVG = 'http://www.w3.org/2000/svg';

/** The sentiment of each customer message, -1..1, as a line from first to latest. */
function trendLine(values: number[], label: string): Element {
  const svg = document.createElementNS(SVG, 'svg');
  const width = 300;
  const height = 56;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const y = (v: number) => 4 + ((1 - Math.max(-1, Math.min(1, v))) / 2) * (height - 8);
  const x = (i: number) => (values.length === 1 ? width / 2 : 6 + (i * (width - 12)) / (values.length - 1));
  const zero = document.createElementNS(SVG, 'line');
  for (const [k, v] of Object.entries({ x1: '0', x2: String(width), y1: String(y(0)), y2: String(y(0)) })) {
    zero.setAttribute(k, v);
  }
  zero.setAttribute('stroke', '#c5d1cc');
  zero.setAttribute('stroke-dasharray', '4 4');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', values.map((v, i) => `${x(i)},${y(v)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', values.at(-1)! < -0.25 ? '#a5281b' : '#0f6e56');
  line.setAttribute('stroke-width', '2.5');
  svg.append(zero, line);
  for (const [i, v] of values.entries()) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', String(x(i)));
    dot.setAttribute('cy', String(y(v)));
    dot.setAttribute('r', '3.5');
    dot.setAttribute('fill', v < -0.25 ? '#a5281b' : '#0f6e56');
    svg.append(dot);
  }
  return svg;
}

/** The customer: their earlier conversations and how this one's sentiment went. */
export async function loadContext(page: ConsolePage, conversationId: string): Promise<ConversationContext | undefined> {
  const { t, call, locale } = page;
  const box = byId('context');
  try {
    const context = await call<ConversationContext>(
      'GET',
      `/v1/conversations/${encodeURIComponent(conversationId)}/context`,
    );
    const date = (iso: string) =>
      new Date(iso).toLocaleDateString(locale === 'ar' ? 'ar-SA' : 'en-GB', { dateStyle: 'medium' });
    const earlier =
      context.earlier.length === 0
        ? h('p', { class: 'muted' }, t.noEarlier)
        : h(
            'ul',
            { class: 'earlier' },
            ...context.earlier.map((e) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `/console/conversations/${encodeURIComponent(e.id)}?locale=${locale}` },
                  `${date(e.createdAt)} · ${labelOf(t, 'st', e.status)}`,
                ),
                e.preview ? h('div', { dir: 'auto' }, plain(e.preview)) : null,
              ),
            ),
          );
    const values = context.sentimentTrend;
    const numbers = values.map((v) => v.toFixed(2)).join(locale === 'ar' ? '، ' : ', ');
    box.replaceChildren(
      h('h3', { class: 'sub' }, t.earlier),
      earlier,
      h('h3', { class: 'sub' }, t.trend),
      values.length === 0
        ? h('p', { class: 'muted' }, t.noTrend)
        : h('div', { class: 'trend', 'data-values': values.join(',') }, trendLine(values, `${t.trend}: ${numbers}`)),
    );
    return context;
  } catch (e) {
    if (e instanceof ApiError) box.replaceChildren(h('p', { class: 'error' }, e.message));
    return undefined;
  }
}
