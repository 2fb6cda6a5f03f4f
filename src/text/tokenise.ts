import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { buildLexicon } from './lexicon.js';
import { normaliseForSearch } from './normalise.js';
import { isStopword } from './stopwords.js';

const segmenter = new Intl.Segmenter('ar', { granularity: 'word' });
const ARABIC_LETTER = /\p{Script=Arabic}/u;

/** Word tokens of normalised text (numbers kept, punctuation dropped). */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(normaliseForSearch(text))) {
    if (s.isWordLike) out.push(s.segment);
  }
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

function stemOnly(word: string): string {
  if (ARABIC_LETTER.test(word)) return stemArabic(word);
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
