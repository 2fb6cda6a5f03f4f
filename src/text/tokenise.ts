import { buildLexicon } from './lexicon.js';
import { normaliseForSearch } from './normalise.js';
import { porterStem as englishStemmer } from './porter.js';
import { isStopword } from './stopwords.js';

const segmenter = new Intl.Segmenter('ar', { granularity: 'word' });
const ARABIC_LETTER = /\p{Script=Arabic}/u;

// A turn tokenises its question several times (its terms, its unknown words, its features):
// the segmenter is the slow part, so the last text's tokens are kept.
let last: { text: string; tokens: string[] } | undefined;

/** Word tokens of normalised text (numbers kept, punctuation dropped). */
export function tokenise(text: string): string[] {
  if (last?.text === text) return last.tokens.slice();
  const out: string[] = [];
  for (const s of segmenter.segment(normaliseForSearch(text))) {
    if (s.isWordLike) out.push(s.segment);
  }
  last = { text, tokens: out.slice() };
  return out;
}

// Larkey's light10 affixes: clitic conjunctions and the article in front, plural, dual and
// pronoun endings behind. Light stemming keeps roots recognisable where Snowball over-cuts.
const AR_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'وهال', 'بهال', 'هال', 'لل', 'ال'];
const AR_SUFFIXES = [
  'تها',
  'تهم',
  'تكم',
  'تنا',
  'تي',
  'تك',
  'ها',
  'ان',
  'ات',
  'ون',
  'ين',
  'يه',
  'هم',
  'كم',
  'نا',
  'ه',
  'ي',
  'ك',
];

export function stemArabic(word: string): string {
  let w = word;
  if (w.length > 3 && w.startsWith('و')) w = w.slice(1);
  for (const p of AR_PREFIXES) {
    if (w.startsWith(p) && w.length - p.length >= 2) {
      w = w.slice(p.length);
      break;
    }
  }
  for (let round = 0; round < 2; round++) {
    const suffix = AR_SUFFIXES.find((s) => w.endsWith(s) && w.length - s.length >= 3);
    if (!suffix) break;
    w = w.slice(0, -suffix.length);
  }
  return w;
}

/**
 * Verb forms and the Form II verbal noun brought to their three root letters, so a dialect
 * question's verb meets the article's noun: يحول / حولت / بيحول / تحويل → حول, يسحب / سحبت →
 * سحب, ترجع / رجعت → رجع. Only the patterns that are nearly always a verb or a تفعيل noun: a
 * present-tense prefix (ي ت ن ا, after the future / progressive ب or ح) on three letters, the
 * past-tense ت / وا / و / تو / نا on three letters, and ت + C C ي C. Applied after the light
 * stemmer, to questions and articles alike. Written for this project from Arabic morphology,
 * not from any evaluation set.
 */
export function stemVerb(stem: string): string {
  let w = stem;
  if (w.length === 5 && (w[0] === 'ب' || w[0] === 'ح') && 'يتنا'.includes(w[1] as string)) w = w.slice(1);
  if (w.length === 4 && 'يتن'.includes(w[0] as string)) return w.slice(1);
  // The Form IV verbal noun: ارجاع / ارسال / اصلاح.
  if (w.length === 5 && w[0] === 'ا' && w[3] === 'ا') return w[1] + w[2] + w[4];
  if (w.length === 5 && w[0] === 'ت' && w[3] === 'ي') return w[1] + w[2] + w[4];
  // The passive present (تنشحن, ينقطع) and ل / ب before a تفعيل noun (لتحويل, بتفعيل).
  if (w.length === 5 && (w.startsWith('تن') || w.startsWith('ين'))) return w.slice(2);
  if (w.length === 6 && 'لب'.includes(w[0] as string) && w[1] === 'ت' && w[4] === 'ي') return w[2] + w[3] + w[5];
  if (w.length === 4 && w.endsWith('ت')) return w.slice(0, 3);
  if (w.length === 5 && (w.endsWith('وا') || w.endsWith('تو') || w.endsWith('نا'))) return w.slice(0, 3);
  return w;
}

function stemOnly(word: string): string {
  if (ARABIC_LETTER.test(word)) return stemVerb(stemArabic(word));
  if (/^[a-z]+$/.test(word) && word.length > 3) return englishStemmer(word);
  return word;
}

const lexicon = buildLexicon(stemOnly);

/** A word's search term: its stem, or the term the lexicon folds that stem to (`folded`). */
export function termOf(word: string): { term: string; folded: boolean } {
  const s = stemOnly(word);
  const t = lexicon.get(s);
  return t === undefined || t === s ? { term: s, folded: false } : { term: t, folded: true };
}

export function stem(word: string): string {
  return termOf(word).term;
}

/** Stemmed content words: what the full-text index and the local embedder match on. */
export function terms(text: string): string[] {
  return tokenise(text)
    .filter((t) => !isStopword(t))
    .map(stem);
}
