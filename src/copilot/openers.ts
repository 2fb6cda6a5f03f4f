import type { Lang } from '../text/language.js';
import { safeInline } from '../text/safe-markdown.js';

/** The first line to an upset customer: acknowledge, apologise, take ownership. */
export function deescalatingOpener(lang: Lang, name: string | null): string {
  const who = name ? safeInline(name) : null;
  if (lang === 'ar') {
    return `${who ? `أهلًا ${who}، ` : ''}أعتذر عن الإزعاج الذي واجهته، وأتفهم تمامًا انزعاجك. سأتابع طلبك بنفسي حتى يُحل.`;
  }
  return `${who ? `Hi ${who}, ` : ''}I'm sorry for the trouble you've had, and I understand your frustration. I'll follow this up myself until it's sorted.`;
}
