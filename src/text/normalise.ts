/**
 * Arabic normalisation shared by indexing and queries, so both sides of a search see the
 * same letters. Rules follow Lucene's ArabicNormalizer and pyarabic: spelling variants
 * customers type interchangeably are folded to one form. Only Arabic-script characters are
 * changed; Latin text passes through untouched.
 */
const PRESENTATION_FORMS = /[\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
// Harakat, tanween, shadda, sukun, superscript alef, Quranic marks, and tatweel.
const MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/gu;
const FOLD: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ی: 'ي',
  ئ: 'ي',
  ؤ: 'و',
  ة: 'ه',
  ک: 'ك',
  ڪ: 'ك',
  ھ: 'ه',
  ۀ: 'ه',
};
const FOLDABLE = new RegExp(`[${Object.keys(FOLD).join('')}]`, 'gu');
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/gu;

export function normaliseArabic(text: string): string {
  return text
    .replace(PRESENTATION_FORMS, (c) => c.normalize('NFKC'))
    .replace(MARKS, '')
    .replace(FOLDABLE, (c) => FOLD[c] ?? c)
    .replace(ARABIC_INDIC_DIGIT, (d) => String((d.codePointAt(0) as number) & 0xf));
}

/** Search form: Arabic folded, Latin lower-cased, Arabic punctuation spaced, whitespace collapsed. */
export function normaliseForSearch(text: string): string {
  return normaliseArabic(text)
    .toLowerCase()
    .replace(/[\u060C\u061B\u061F\u066A-\u066D\u06D4]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}
