import { fill, labelOf } from '../console/strings.js';
import { ApiError, type ConsolePage, type Message } from './api.js';
import { h } from './dom.js';

/**
 * Translation for an agent who does not read the conversation's language (the console's
 * language is the one the agent chose): a translation under each message written in another
 * language, and the agent's reply put into the customer's. It needs a model; without one the
 * conversation says so once instead of failing on every message.
 */
export function translations(page: ConsolePage, available: boolean, onUnavailable: () => void) {
  const { t, locale, call } = page;
  const done = new Map<string, string>();
  const failed = new Set<string>();
  const waiting = new Map<string, Set<HTMLElement>>();
  let chain: Promise<void> = Promise.resolve();
  let unavailable = !available;

  const foreign = (lang: string | null) => (lang === 'ar' || lang === 'en') && lang !== locale;

  function fillSlot(slot: HTMLElement, id: string) {
    const text = done.get(id);
    if (text !== undefined) {
      slot.replaceChildren(h('span', { class: 'label' }, t.translation), h('p', { dir: 'auto', lang: locale }, text));
      slot.removeAttribute('aria-busy');
    } else if (failed.has(id)) {
      slot.replaceChildren(h('span', { class: 'label' }, t.translationFailed));
      slot.removeAttribute('aria-busy');
    }
  }

  // One at a time, in thread order: a long conversation does not fire dozens of model calls at once.
  function fetchTranslation(m: Message) {
    chain = chain.then(async () => {
      if (done.has(m.id) || unavailable) return;
      try {
        const { text } = await call<{ text: string }>('POST', '/v1/translate', { text: m.content, to: locale });
        done.set(m.id, text);
      } catch (e) {
        if (e instanceof ApiError && e.kind === 'translation-needs-model' && !unavailable) {
          unavailable = true;
          onUnavailable();
        }
        failed.add(m.id);
      }
      for (const slot of waiting.get(m.id) ?? []) fillSlot(slot, m.id);
      waiting.delete(m.id);
    });
  }

  return {
    /** Whether the agent's reply can be put into this language. */
    canTranslateTo: (lang: string | null) => !unavailable && foreign(lang),

    /** The translation under a message in another language (filled in when it arrives), or nothing. */
    under(m: Message, conversationLang: string | null): HTMLElement | null {
      const lang = m.lang ?? conversationLang;
      if (unavailable || m.internal || m.role === 'system' || !foreign(lang) || !m.content.trim()) return null;
      const slot = h(
        'div',
        { class: 'translation', 'aria-busy': 'true' },
        h('span', { class: 'label' }, t.translating),
      );
      if (done.has(m.id) || failed.has(m.id)) fillSlot(slot, m.id);
      else {
        const slots = waiting.get(m.id) ?? new Set<HTMLElement>();
        // A re-rendered thread replaces its nodes: only the latest slot of a message is kept.
        for (const old of slots) if (!old.isConnected) slots.delete(old);
        slots.add(slot);
        if (!waiting.has(m.id)) {
          waiting.set(m.id, slots);
          fetchTranslation(m);
        }
      }
      return slot;
    },

    /** A notice for a conversation in a language the agent did not choose when no model is configured. */
    notice(conversationLang: string | null): string | null {
      if (!unavailable || !foreign(conversationLang)) return null;
      return fill(t.translationNeedsModel, { lang: labelOf(t, 'lang', conversationLang ?? '') });
    },

    /** The agent's text in the customer's language. */
    async reply(text: string, to: string): Promise<string> {
      const { text: translated } = await call<{ text: string }>('POST', '/v1/translate', { text, to });
      return translated;
    },
  };
}

export type Translations = ReturnType<typeof translations>;
