import { labelFor } from '../../understanding/sentiment/sentiment.js';
import { type ConsoleStrings, fill, labelOf } from '../console/strings.js';

/** "under a minute", "7 min", "1 h 5 min", in the page's language and digits. */
export function waited(t: ConsoleStrings, seconds: number, locale: string): string {
  const n = (x: number) => x.toLocaleString(locale === 'ar' ? 'ar-SA' : 'en');
  if (seconds < 60) return t.seconds;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return fill(t.minutes, { n: n(minutes) });
  return fill(t.hours, { h: n(Math.floor(minutes / 60)), m: n(minutes % 60) });
}

export const percent = (value: number | null, locale: string) =>
  value === null
    ? '—'
    : value.toLocaleString(locale === 'ar' ? 'ar-SA' : 'en', { style: 'percent', maximumFractionDigits: 0 });

/** A sentiment score as its label (negative, neutral, positive), for a badge. */
export function sentimentOf(t: ConsoleStrings, score: number | null): { label: string; kind: string } | undefined {
  if (score === null) return undefined;
  const kind = labelFor(score);
  return { kind, label: labelOf(t, 'sent', kind) };
}
