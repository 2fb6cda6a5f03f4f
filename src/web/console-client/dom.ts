type Child = Node | string | null | undefined | false;

/**
 * An element built from text, never from HTML: whatever a customer, an editor or a model wrote
 * is shown as text. Attributes set to undefined or false are left out.
 */
export function h(tag: string, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// Bidi overrides would reorder the text around them in an agent's view: shown without them.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
export const plain = (text: string) => text.replace(BIDI_CONTROLS, '');
