/**
 * What the trained sentiment model reads in one message: hashed words, word pairs, negated
 * words and character n-grams, plus a few dense features (the lexicon's score, its positive
 * and negative sides, the upset signal, "!" and "?"). Training (scripts/train-sentiment.ts)
 * and scoring share this one function, so the weights always mean the same features.
 *
 * Hashing (FNV-1a into a fixed number of buckets) keeps the shipped model a flat array of
 * weights with no vocabulary to store or look up.
 */
import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { detectLanguage } from '../../text/language.js';
import { normaliseForSearch } from '../../text/normalise.js';
import { stemArabic } from '../../text/tokenise.js';
import { soundsUpset } from '../upset.js';
import { rawSentiment } from './local.js';

export const DENSE_FEATURES = 8;

export interface FeatureOptions {
  /** Buckets for the hashed features (a power of two). */
  buckets: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Weight of the character n-grams against the words (each group has unit length). */
  charWeight: number;
}

export interface Features {
  lang: 'ar' | 'en';
  /** Hashed bucket indices, each present once. */
  hashed: Uint32Array;
  /** The value of each hashed feature: words and character n-grams are each scaled to unit
   *  length, so a long word's many n-grams do not drown the words. */
  values: Float32Array;
  /** Dense features, in a fixed order (see `dense`). */
  dense: Float64Array;
}

const MAX_CHARS = 2_000;
const segmenter = new Intl.Segmenter('ar', { granularity: 'word' });
const ARABIC_LETTER = /\p{Script=Arabic}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const EMOJI_MODIFIERS = /[\u{1F3FB}-\u{1F3FF}]|\uFE0E|\uFE0F|\u200D|\u2640|\u2642/gu;
const NEGATORS = new Set(
  (
    "not no never nothing nobody none nor cannot can't won't don't didn't doesn't isn't wasn't aren't weren't haven't hasn't couldn't wouldn't shouldn't without " +
    'ما مو مش مب موب لا لم لن ليس ليست مافي ماكو بدون غير'
  ).split(' '),
);
const NEGATION_REACH = 3;

/** Hashtags read as words (#خدمه_سيئه, #WorstServiceEver), handles and links dropped. */
export function prepare(text: string): string {
  return text
    .slice(0, MAX_CHARS)
    .replace(/https?:\/\/\S+|www\.\S+/giu, ' ')
    .replace(/(^|\s)@\w+/gu, ' ')
    .replace(/#([\p{L}\p{N}_]+)/gu, (_m, tag: string) =>
      tag
        .replace(/_/gu, ' ')
        .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
        .replace(/(\p{L})(\p{N})/gu, '$1 $2'),
    )
    .replace(/[\u2018\u2019\u02BC`´]/gu, "'");
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Words of a message (normalised, elongation cut to two letters) and its emoji. */
function words(text: string): { tokens: string[]; emoji: string[] } {
  const tokens: string[] = [];
  const emoji: string[] = [];
  for (const seg of segmenter.segment(normaliseForSearch(text))) {
    if (seg.isWordLike) {
      tokens.push(seg.segment.replace(/(\p{L})\1{2,}/gu, '$1$1'));
    } else if (PICTOGRAPHIC.test(seg.segment)) {
      for (const ch of seg.segment.replace(EMOJI_MODIFIERS, '')) if (PICTOGRAPHIC.test(ch)) emoji.push(ch);
    }
  }
  return { tokens, emoji };
}

export function extract(text: string, options: FeatureOptions, langHint?: 'ar' | 'en'): Features {
  const prepared = prepare(text);
  const lang = langHint ?? detectLanguage(prepared).lang;
  const { tokens, emoji } = words(prepared);
  const keys = new Set<string>();
  const grams = new Set<string>();
  let negatedUntil = -1;
  for (const [i, t] of tokens.entries()) {
    const arabic = ARABIC_LETTER.test(t);
    const base = arabic ? stemArabic(t) : /^[a-z]{4,}$/u.test(t) ? englishStemmer(t) : t;
    keys.add(`w ${t}`);
    if (base !== t) keys.add(`s ${base}`);
    if (i > 0) keys.add(`b ${tokens[i - 1]} ${t}`);
    if (i <= negatedUntil) keys.add(`n ${base}`);
    if (NEGATORS.has(t) || t.endsWith("n't")) negatedUntil = i + NEGATION_REACH;
    // Gulf writers fuse the negator to the verb: «مايرد», «ماوصل».
    else if (arabic && t.length >= 5 && t.startsWith('ما')) keys.add(`n ${stemArabic(t.slice(2))}`);
    const padded = ` ${t} `;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let k = 0; k + n <= padded.length; k++) grams.add(`c ${padded.slice(k, k + n)}`);
    }
  }
  for (const e of emoji) keys.add(`e ${e}`);
  const weights = new Map<number, number>();
  const add = (set: Set<string>, scale: number) => {
    if (!set.size) return;
    const v = scale / Math.sqrt(set.size);
    for (const k of set) {
      const b = fnv1a(k) & (options.buckets - 1);
      weights.set(b, (weights.get(b) ?? 0) + v);
    }
  };
  add(keys, 1);
  add(grams, options.charWeight);

  const lexicon = Math.tanh(rawSentiment(text, lang));
  const dense = new Float64Array(DENSE_FEATURES);
  dense[0] = lexicon;
  dense[1] = Math.max(0, lexicon);
  dense[2] = Math.max(0, -lexicon);
  dense[3] = soundsUpset(text) ? 1 : 0;
  dense[4] = /[!！]/u.test(text) ? 1 : 0;
  dense[5] = /[?؟]/u.test(text) ? 1 : 0;
  dense[6] = Math.min(1, tokens.length / 30);
  dense[7] = tokens.length === 0 ? 1 : 0;
  return { lang, hashed: Uint32Array.from(weights.keys()), values: Float32Array.from(weights.values()), dense };
}
