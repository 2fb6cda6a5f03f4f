import { fill, labelOf } from '../console/strings.js';
import { ApiError, type ConsolePage, type Suggestion, type Template } from './api.js';
import { byId, h, plain } from './dom.js';

export interface Composer {
  /** Puts a suggestion in the box to edit; sending it records it as edited (or accepted if unchanged). */
  edit(suggestion: Suggestion): void;
  focus(): void;
  /** Shows an API error (or any message) under the box. */
  showError(error: unknown): void;
  /** Shows or hides "translate your reply" as the conversation's language becomes known. */
  refresh(): void;
}

export interface ComposerOptions {
  conversationId: string;
  lang: () => string | null;
  send(body: { text: string; note: boolean; suggestionId?: string }): Promise<void>;
  /** The customer's language when the agent's reply can be translated into it, else null. */
  translateTo(): string | null;
  translate(text: string, to: string): Promise<string>;
  /** The agent is writing to the customer (not a note). */
  typing(): void;
}

// `/` at the start or after a space, then the shortcode typed so far, up to the caret.
const SLASH = /(^|\s)\/([\p{L}\p{N}_-]*)$/u;

/**
 * The reply box, keyboard first: it takes focus, Enter sends, Shift+Enter is a new line, and
 * typing `/` opens the templates, filtered as one types; Enter or Tab inserts the chosen one with
 * its variables filled in. A note toggle makes the text an internal note instead.
 */
export function composer(page: ConsolePage, options: ComposerOptions): Composer {
  const { t, call } = page;
  const form = byId<HTMLFormElement>('composer');
  const box = byId<HTMLTextAreaElement>('reply');
  const picker = byId('template-picker');
  const noteToggle = byId<HTMLInputElement>('note-toggle');
  const send = byId<HTMLButtonElement>('send');
  const error = byId('composer-error');
  const editing = byId('editing');
  const label = byId('reply-label');
  const translateButton = byId<HTMLButtonElement>('translate-reply');
  const hint = byId('composer-hint');

  let suggestion: Suggestion | undefined;
  let choices: Template[] = [];
  let active = 0;
  let slash: { start: number; query: string } | undefined;
  let lookup = 0;
  let sending = false;

  function showError(e: unknown) {
    if (!(e instanceof ApiError)) {
      error.textContent = typeof e === 'string' ? e : t.failed;
      return;
    }
    const known: Record<string, string> = {
      'not-assigned': t.notAssigned,
      'empty-message': t.emptyReply,
      'conversation-closed': t.closed,
      'not-found': t.unknownTemplate,
    };
    error.textContent = known[e.kind] ?? e.message;
  }

  function setNote(note: boolean) {
    noteToggle.checked = note;
    form.classList.toggle('noting', note);
    box.placeholder = note ? t.notePlaceholder : t.replyPlaceholder;
    label.textContent = note ? t.note : t.reply;
    send.textContent = note ? t.addNote : t.send;
    refresh();
  }

  function refresh() {
    const to = noteToggle.checked ? null : options.translateTo();
    translateButton.hidden = !to;
    if (to) translateButton.textContent = fill(t.translateReply, { lang: labelOf(t, 'lang', to) });
  }

  function showHint(text: string | null) {
    hint.textContent = text ?? '';
    hint.hidden = !text;
  }

  function stopEditing() {
    suggestion = undefined;
    editing.hidden = true;
  }

  // ── the template picker ──────────────────────────────────────────────
  function closePicker() {
    slash = undefined;
    picker.hidden = true;
    picker.replaceChildren();
    box.setAttribute('aria-expanded', 'false');
    box.removeAttribute('aria-activedescendant');
  }

  function renderPicker() {
    picker.hidden = false;
    box.setAttribute('aria-expanded', 'true');
    if (choices.length === 0) {
      picker.replaceChildren(h('div', { class: 'empty', role: 'option', 'aria-disabled': 'true' }, t.noTemplates));
      box.removeAttribute('aria-activedescendant');
      return;
    }
    picker.replaceChildren(
      ...choices.map((tpl, i) => {
        const option = h(
          'div',
          {
            id: `template-${i}`,
            role: 'option',
            'aria-selected': String(i === active),
            'data-shortcode': tpl.shortcode,
          },
          h('span', { class: 'code' }, `/${tpl.shortcode}`),
          h('bdi', {}, plain(tpl.title)),
        );
        // mousedown, not click: the box keeps focus.
        option.addEventListener('mousedown', (e) => {
          e.preventDefault();
          void choose(i);
        });
        return option;
      }),
    );
    box.setAttribute('aria-activedescendant', `template-${active}`);
    picker.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  async function findTemplates(query: string) {
    const mine = ++lookup;
    const q = new URLSearchParams();
    const lang = options.lang();
    if (lang === 'ar' || lang === 'en') q.set('lang', lang);
    if (query) q.set('q', query);
    try {
      const { templates } = await call<{ templates: Template[] }>('GET', `/v1/templates?${q}`);
      if (mine !== lookup || !slash) return;
      choices = templates.slice(0, 8);
      active = 0;
      renderPicker();
    } catch (e) {
      showError(e);
    }
  }

  async function choose(index: number) {
    const tpl = choices[index];
    const at = slash;
    if (!tpl || !at) return;
    closePicker();
    try {
      const { text } = await call<{ templateId: string; text: string }>(
        'POST',
        `/v1/conversations/${encodeURIComponent(options.conversationId)}/templates/render`,
        { shortcode: tpl.shortcode },
      );
      const end = at.start + 1 + at.query.length;
      box.value = box.value.slice(0, at.start) + text + box.value.slice(end);
      const caret = at.start + text.length;
      box.setSelectionRange(caret, caret);
      box.focus();
      error.textContent = '';
    } catch (e) {
      showError(e);
    }
  }

  box.addEventListener('input', () => {
    if (!noteToggle.checked && box.value.trim()) options.typing();
    const before = box.value.slice(0, box.selectionStart);
    const match = SLASH.exec(before);
    if (!match) return closePicker();
    const query = match[2] ?? '';
    slash = { start: before.length - query.length - 1, query };
    void findTemplates(query);
  });
  box.addEventListener('blur', () => setTimeout(() => document.activeElement !== box && closePicker(), 100));

  box.addEventListener('keydown', (e) => {
    if (e.isComposing) return;
    if (slash && !picker.hidden) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (choices.length === 0) return;
        active = (active + (e.key === 'ArrowDown' ? 1 : choices.length - 1)) % choices.length;
        renderPicker();
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && choices.length > 0) {
        e.preventDefault();
        void choose(active);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        closePicker();
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (sending) return;
    const text = box.value.trim();
    if (!text) {
      error.textContent = t.emptyReply;
      return;
    }
    sending = true;
    send.disabled = true;
    error.textContent = '';
    try {
      await options.send({ text, note: noteToggle.checked, suggestionId: suggestion?.id });
      box.value = '';
      stopEditing();
      setNote(false);
      showHint(null);
    } catch (err) {
      showError(err);
    } finally {
      sending = false;
      send.disabled = false;
      box.focus();
    }
  });

  noteToggle.addEventListener('change', () => setNote(noteToggle.checked));
  translateButton.addEventListener('click', async () => {
    const to = options.translateTo();
    const text = box.value.trim();
    if (!to) return;
    if (!text) {
      error.textContent = t.emptyReply;
      return;
    }
    translateButton.disabled = true;
    error.textContent = '';
    try {
      box.value = await options.translate(text, to);
      showHint(fill(t.translatedReply, { lang: labelOf(t, 'lang', to) }));
    } catch (err) {
      showError(err);
      refresh();
    } finally {
      translateButton.disabled = false;
      box.focus();
    }
  });
  byId('cancel-edit').addEventListener('click', () => {
    stopEditing();
    box.value = '';
    box.focus();
  });

  return {
    edit(s) {
      suggestion = s;
      setNote(false);
      editing.hidden = false;
      box.value = s.content;
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    },
    focus: () => box.focus(),
    showError,
    refresh,
  };
}
