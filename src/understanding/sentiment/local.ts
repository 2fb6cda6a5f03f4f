/**
 * Local sentiment scorer: a hand-written lexicon with rules, in the spirit of VADER
 * (Hutto & Gilbert, 2014) but for Arabic (MSA and Gulf) and English customer-service talk.
 * Nothing leaves the process and nothing is downloaded.
 *
 * Pipeline for one message:
 *  1. Normalise (shared Arabic folding), turn emoticons into symbols, split into words,
 *     emoji and punctuation with the same word segmenter as the shared tokeniser.
 *  2. Cut into clauses at punctuation; inside each clause match lexicon entries greedily,
 *     longest first (phrases of up to three words), trying clitic-stripped, de-elongated
 *     and suffix-stripped forms of each word.
 *  3. Rules: a negator up to three words before an entry flips a positive word, damps a
 *     negative one and turns an "expectation" (arrived, يرد) into a complaint; intensifiers
 *     scale the nearest entry; ALL CAPS and elongation (شكراااا, soooo) add emphasis;
 *     positive words inside questions count half; after "but / لكن / بس" the rest of the
 *     message outweighs what came before; "!" amplifies, "??" reads as exasperation.
 *  4. Sum, squash with tanh into -1..1, label with `labelFor`.
 */
import { detectLanguage } from '../../text/language.js';
import { normaliseArabic, normaliseForSearch } from '../../text/normalise.js';
import { tokenise } from '../../text/tokenise.js';
import { arabicLexicon } from './lexicon-ar.js';
import { englishLexicon } from './lexicon-en.js';
import { labelFor, type SentimentLexicon, type SentimentScore, type SentimentScorer } from './sentiment.js';

// ── tunables ─────────────────────────────────────────────────────────────────────────
const NEGATION_WINDOW = 3;
/** A negated positive word ("not good") keeps most of its strength, reversed. */
const NEGATED_POSITIVE = -0.75;
/** A negated negative word ("not bad") is only mildly positive. */
const NEGATED_NEGATIVE = -0.3;
const INTENSIFIER_REACH = 2;
const CAPS_BOOST = 1.5;
const ELONGATION_BOOST = 1.25;
const QUESTION_POSITIVE_DAMP = 0.5;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const EXCLAMATION_STEP = 0.08;
const EXCLAMATION_MAX = 4;
const EXASPERATED_PUNCTUATION = -0.3;
const EMPHASIS_STEP = 0.1;
const EMOJI_REPEAT_DECAY = 0.6;
const MAX_INPUT_CHARS = 8_000;

/** Emoji and emoticons, shared by both languages. Skin tones, gender signs and variation
 *  selectors are stripped before lookup, so 👍🏽 and 🤦‍♀️ find 👍 and 🤦. 😂 and 🙂 carry no
 *  weight: customers use them for sarcasm as often as for joy. */
const EMOJI: Readonly<Record<string, number>> = {
  '😡': -0.8,
  '😠': -0.7,
  '🤬': -0.9,
  '😤': -0.6,
  '💔': -0.6,
  '👎': -0.6,
  '😞': -0.5,
  '😢': -0.5,
  '😭': -0.55,
  '😒': -0.4,
  '🙄': -0.45,
  '😑': -0.3,
  '😩': -0.5,
  '😫': -0.5,
  '😖': -0.45,
  '😣': -0.4,
  '😔': -0.4,
  '😟': -0.35,
  '😕': -0.3,
  '🙁': -0.4,
  '☹': -0.45,
  '😾': -0.5,
  '💩': -0.6,
  '🤦': -0.45,
  '🤮': -0.7,
  '🤢': -0.55,
  '😓': -0.3,
  '😥': -0.35,
  '😰': -0.35,
  '😱': -0.3,
  '😊': 0.55,
  '😍': 0.7,
  '🥰': 0.7,
  '😘': 0.5,
  '🤩': 0.7,
  '😁': 0.5,
  '😀': 0.45,
  '😃': 0.5,
  '😄': 0.5,
  '☺': 0.5,
  '😇': 0.45,
  '👍': 0.5,
  '👌': 0.5,
  '👏': 0.55,
  '🙌': 0.5,
  '💯': 0.5,
  '🙏': 0.35,
  '❤': 0.6,
  '♥': 0.55,
  '💕': 0.6,
  '💖': 0.6,
  '💗': 0.6,
  '💙': 0.5,
  '💚': 0.5,
  '💛': 0.5,
  '💜': 0.5,
  '🧡': 0.5,
  '🤍': 0.5,
  '🌹': 0.55,
  '🌷': 0.45,
  '💐': 0.5,
  '🌸': 0.4,
  '🎉': 0.45,
  '🥳': 0.5,
  '✨': 0.3,
  '⭐': 0.35,
  '🌟': 0.4,
  '🔥': 0.3,
  '🏆': 0.4,
  '✅': 0.2,
  '🤝': 0.3,
};

// Emoticons become the symbols above; matched only as whole space-separated items so that
// "https://" or "10:30" are left alone.
const EMOTICON = /(^|\s)(:-?\)+|:-?D+|;-?\)+|=\)+|\(:|<3+|:-?\(+|:'-?\(+|=\(+|\):|>:-?\(+|:-?\/|:-?\|)(?=\s|$)/gu;
const EMOTICON_SYMBOL = (e: string): string =>
  /^(:-?\)+|:-?D+|;-?\)+|=\)+|\(:|<3+)$/u.test(e) ? '☺' : /^(:-?\/|:-?\|)$/u.test(e) ? '😕' : '☹';

const EMOJI_MODIFIERS = /[\u{1F3FB}-\u{1F3FF}]|\uFE0E|\uFE0F|\u200D|\u2640|\u2642/gu;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const ARABIC_LETTER = /\p{Script=Arabic}/u;
const ARABIC_LETTERS = /\p{Script=Arabic}/gu;
const LATIN_LETTERS = /\p{Script=Latin}/gu;
const ELONGATED = /(\p{L})\1{2,}/u;
const CLAUSE_BREAK = /[.,;:\n\u060C\u061B\u06D4()[\]{}"«»…]/u;
const segmenter = new Intl.Segmenter('ar', { granularity: 'word' });

// Clitics that Gulf and MSA writers attach to the front of a word.
const AR_CONJUNCTIONS = ['و', 'ف'];
const AR_ARTICLES = ['وبال', 'وهال', 'وال', 'فال', 'بال', 'كال', 'هال', 'لل', 'ال'];
const AR_PREPOSITIONS = ['ب', 'ل', 'ك'];
const AR_SUFFIXES = [
  'تني',
  'تها',
  'تهم',
  'تكم',
  'تنا',
  'ني',
  'ها',
  'هم',
  'كم',
  'نا',
  'وا',
  'ون',
  'ين',
  'ات',
  'تو',
  'تم',
  'ه',
  'ك',
  'ي',
  'ت',
];

// ── lexicon index ────────────────────────────────────────────────────────────────────
type Entry =
  | { kind: 'word'; weight: number }
  | { kind: 'expectation'; affirmed: number; negated: number }
  | { kind: 'negator'; weight: number }
  | { kind: 'intensifier'; factor: number }
  | { kind: 'contrast' };

interface LexiconIndex {
  exact: Map<string, Entry>;
  prefixes: Map<string, Entry>;
  questionWords: Set<string>;
  /** Longest prefix entry, in characters, to bound prefix lookups. */
  longestPrefix: number;
  arabic: boolean;
}

function keyOf(entry: string): string {
  return tokenise(entry).join(' ');
}

/** Normalises a hand-written lexicon into lookup maps. Exported for tests. */
export function buildIndex(lexicon: SentimentLexicon, arabic: boolean): LexiconIndex {
  const exact = new Map<string, Entry>();
  const prefixes = new Map<string, Entry>();
  let longestPrefix = 0;
  const put = (raw: string, entry: Entry) => {
    if (raw.endsWith('*')) {
      const key = normaliseForSearch(raw.slice(0, -1));
      if (!key) return;
      prefixes.set(key, entry);
      longestPrefix = Math.max(longestPrefix, key.length);
    } else {
      const key = keyOf(raw);
      if (key) exact.set(key, entry);
    }
  };
  for (const [k, w] of Object.entries(lexicon.words)) put(k, { kind: 'word', weight: w });
  for (const [k, [a, n]] of Object.entries(lexicon.expectations))
    put(k, { kind: 'expectation', affirmed: a, negated: n });
  for (const [k, f] of Object.entries(lexicon.intensifiers)) put(k, { kind: 'intensifier', factor: f });
  for (const k of lexicon.contrast) put(k, { kind: 'contrast' });
  for (const [k, w] of Object.entries(lexicon.negators)) put(k, { kind: 'negator', weight: w });
  const questionWords = new Set(lexicon.questionWords.map(keyOf).filter(Boolean));
  return { exact, prefixes, questionWords, longestPrefix, arabic };
}

let indexes: { ar: LexiconIndex; en: LexiconIndex; emoji: Map<string, number> } | undefined;
function getIndexes() {
  if (!indexes) {
    const emoji = new Map<string, number>();
    for (const [k, w] of Object.entries(EMOJI)) emoji.set(emojiKey(k), w);
    indexes = { ar: buildIndex(arabicLexicon, true), en: buildIndex(englishLexicon, false), emoji };
  }
  return indexes;
}

function emojiKey(grapheme: string): string {
  return grapheme.replace(EMOJI_MODIFIERS, '');
}

// ── lexing ───────────────────────────────────────────────────────────────────────────
interface WordTok {
  type: 'word';
  norm: string;
  caps: boolean;
  elongated: boolean;
  arabic: boolean;
}
type Tok = WordTok | { type: 'emoji'; key: string } | { type: 'break' } | { type: 'excl' } | { type: 'quest' };

function lex(text: string): { toks: Tok[]; mixedCase: boolean } {
  const prepared = text
    .slice(0, MAX_INPUT_CHARS)
    .replace(/[\u2018\u2019\u02BC`´]/gu, "'")
    .replace(EMOTICON, (_m, lead: string, emo: string) => `${lead} ${EMOTICON_SYMBOL(emo)} `);
  const s = normaliseArabic(prepared);
  const mixedCase = /\p{Ll}/u.test(s) && /\p{Lu}/u.test(s);
  const toks: Tok[] = [];
  for (const seg of segmenter.segment(s)) {
    if (seg.isWordLike) {
      const norm = normaliseForSearch(seg.segment).replace(/\s+/gu, '');
      if (!norm) continue;
      const letters = seg.segment.replace(/[^\p{L}]/gu, '');
      toks.push({
        type: 'word',
        norm,
        caps: letters.length >= 2 && /^\p{Lu}+$/u.test(letters),
        elongated: ELONGATED.test(norm),
        arabic: ARABIC_LETTER.test(norm),
      });
      continue;
    }
    for (const ch of seg.segment) {
      if (ch === '\n') toks.push({ type: 'break' });
      else if (/\s/u.test(ch)) continue;
      else if (ch === '!') toks.push({ type: 'excl' });
      else if (ch === '?' || ch === '\u061F') toks.push({ type: 'quest' });
      else if (CLAUSE_BREAK.test(ch)) toks.push({ type: 'break' });
    }
    const key = emojiKey(seg.segment);
    if (key && (PICTOGRAPHIC.test(seg.segment) || key === '☺' || key === '☹')) toks.push({ type: 'emoji', key });
  }
  return { toks, mixedCase };
}

// Numbers (digits or words) also match the placeholder `num` in lexicon phrases, so one
// entry covers "for 3 days", "for three days" and "من ٣ ايام".
const NUMBER_PLACEHOLDER = 'num';
const NUMBER_WORDS = new Set(
  (
    'a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty few several couple ' +
    'واحد وحده ثنين اثنين ثلاث ثلاثه اربع اربعه خمس خمسه ست سته سبع سبعه ثمان ثمانيه تسع تسعه عشر عشره عشرين ثلاثين كم عده'
  ).split(' '),
);

// ── word forms ───────────────────────────────────────────────────────────────────────
function collapse(word: string, keep: number): string {
  return word.replace(/(\p{L})\1{2,}/gu, (_m, c: string) => c.repeat(keep));
}

/** Spellings of one word worth looking up, most literal first. */
function formsOf(tok: WordTok): string[] {
  const out: string[] = [];
  const add = (f: string) => {
    if (f && !out.includes(f)) out.push(f);
  };
  const bases = [tok.norm];
  if (tok.elongated) bases.push(collapse(tok.norm, 2), collapse(tok.norm, 1));
  if (/^\d+$/u.test(tok.norm) || NUMBER_WORDS.has(tok.norm)) {
    add(tok.norm);
    add(NUMBER_PLACEHOLDER);
    return out;
  }
  if (!tok.arabic) {
    for (const b of bases) add(b);
    // Long vowels doubled for emphasis ("goood" is handled above; "shukraan" here).
    if (/(\p{L})\1/u.test(tok.norm)) add(tok.norm.replace(/(\p{L})\1+/gu, '$1'));
    return out;
  }
  if (/(\p{L})\1/u.test(tok.norm)) bases.push(tok.norm.replace(/([اويه])\1+/gu, '$1'));
  for (const b of bases) {
    add(b);
    const stems = [b];
    for (const c of AR_CONJUNCTIONS) if (b.startsWith(c) && b.length - c.length >= 2) stems.push(b.slice(c.length));
    for (const st of stems) {
      add(st);
      for (const a of AR_ARTICLES) {
        if (st.startsWith(a) && st.length - a.length >= 2) {
          add(st.slice(a.length));
          break;
        }
      }
      for (const p of AR_PREPOSITIONS) if (st.startsWith(p) && st.length - p.length >= 3) add(st.slice(p.length));
    }
  }
  return out;
}

function suffixStripped(form: string): string[] {
  const out: string[] = [];
  for (const s of AR_SUFFIXES) {
    if (form.endsWith(s) && form.length - s.length >= 3) out.push(form.slice(0, -s.length));
  }
  return out;
}

/** Plain forms of an inflected English word: delays → delay, delivering → deliver,
 *  cancelled → cancel, damaged → damage. Only tried when the word itself is unknown. */
function englishBases(word: string): string[] {
  const out: string[] = [];
  if (!/^[a-z]+$/u.test(word)) return out;
  const undouble = (w: string) => (/([b-df-hj-np-tv-z])\1$/u.test(w) ? w.slice(0, -1) : w);
  if (word.length >= 4 && word.endsWith('s') && !word.endsWith('ss')) out.push(word.slice(0, -1));
  if (word.length >= 6 && word.endsWith('ing')) {
    const st = word.slice(0, -3);
    out.push(st, `${st}e`, undouble(st));
  }
  if (word.length >= 5 && word.endsWith('ed')) {
    const st = word.slice(0, -2);
    out.push(st, `${st}e`, undouble(st));
  }
  return out;
}

function prefixLookup(index: LexiconIndex, form: string): Entry | undefined {
  const min = index.arabic ? 3 : 3;
  for (let n = Math.min(form.length, index.longestPrefix); n >= min; n--) {
    const e = index.prefixes.get(form.slice(0, n));
    if (e) return e;
  }
  return undefined;
}

interface Match {
  start: number;
  end: number;
  entry: Entry;
  /** The negator was fused to the word (Gulf "ماوصل", "مايرد"). */
  fusedNegation: boolean;
}

const isSentiment = (e: Entry) => e.kind === 'word' || e.kind === 'expectation';

function matchAt(
  words: WordTok[],
  forms: string[][],
  i: number,
  indexesFor: (t: WordTok) => LexiconIndex[],
): Match | undefined {
  const candidates = indexesFor(words[i]);
  for (const index of candidates) {
    // Phrases, longest first, with every combination of the words' forms.
    for (let len = Math.min(3, words.length - i); len >= 2; len--) {
      let keys: string[] = forms[i].slice(0, 6);
      for (let j = i + 1; j < i + len; j++) {
        const next: string[] = [];
        for (const k of keys) for (const f of forms[j].slice(0, 4)) next.push(`${k} ${f}`);
        keys = next;
      }
      for (const k of keys) {
        const entry = index.exact.get(k);
        if (entry) return { start: i, end: i + len, entry, fusedNegation: false };
      }
    }
    for (const f of forms[i]) {
      const entry = index.exact.get(f);
      if (entry) return { start: i, end: i + 1, entry, fusedNegation: false };
    }
    for (const f of forms[i]) {
      const entry = prefixLookup(index, f);
      if (entry) return { start: i, end: i + 1, entry, fusedNegation: false };
    }
    if (index.arabic) {
      for (const f of forms[i]) {
        for (const s of suffixStripped(f)) {
          const entry = index.exact.get(s) ?? prefixLookup(index, s);
          if (entry && isSentiment(entry)) return { start: i, end: i + 1, entry, fusedNegation: false };
        }
      }
      for (const f of forms[i]) {
        if (!f.startsWith('ما') || f.length < 4) continue;
        const rest = f.slice(2);
        for (const r of [rest, ...suffixStripped(rest)]) {
          const entry = index.exact.get(r);
          if (entry && isSentiment(entry)) return { start: i, end: i + 1, entry, fusedNegation: true };
        }
      }
    } else {
      for (const base of englishBases(forms[i][0])) {
        const entry = index.exact.get(base);
        if (entry && isSentiment(entry)) return { start: i, end: i + 1, entry, fusedNegation: false };
      }
    }
  }
  return undefined;
}

/** Share of Latin words that are Arabizi sentiment entries or spelled with digit-letters. */
function looksArabizi(toks: Tok[], ar: LexiconIndex): boolean {
  const latin = toks.filter((t): t is WordTok => t.type === 'word' && !t.arabic && /\p{L}/u.test(t.norm));
  if (latin.length === 0) return false;
  const hits = latin.filter((t) => /[a-z][2357689]|[2357689][a-z]/u.test(t.norm) || ar.exact.has(t.norm)).length;
  return hits >= Math.max(2, Math.ceil(latin.length * 0.3));
}

// ── scoring ──────────────────────────────────────────────────────────────────────────
interface Item {
  weight: number;
  /** Segment between contrast words ("but"), counted over the whole message. */
  segment: number;
}

/** Raw (unsquashed) sum for a message, exported for tests and diagnostics. */
export function rawSentiment(text: string, lang?: 'ar' | 'en'): number {
  if (typeof text !== 'string' || text.trim() === '') return 0;
  const { ar, en, emoji } = getIndexes();
  const { toks, mixedCase } = lex(text);
  const arabicCount = text.match(ARABIC_LETTERS)?.length ?? 0;
  const latinCount = text.match(LATIN_LETTERS)?.length ?? 0;
  // Latin words in a mostly-Latin message that reads as Arabic are Arabizi; Latin words
  // inside Arabic-script text are English loans ("الاوردر delay").
  const arabizi =
    lang === 'en'
      ? false
      : latinCount > arabicCount && (lang === 'ar' || detectLanguage(text).arabizi || looksArabizi(toks, ar));
  const indexesFor = (t: WordTok): LexiconIndex[] => (t.arabic ? [ar] : arabizi ? [ar, en] : [en]);

  const items: Item[] = [];
  let segment = 0;
  let wordsSeen = 0;
  let exclamations = 0;
  let exasperated = false;
  let emphasis = 0;
  let emojiCount = 0;

  // Walk clauses.
  let clause: WordTok[] = [];
  const flush = (endsWithQuestion: boolean) => {
    if (clause.length === 0) return;
    const words = clause;
    clause = [];
    const forms = words.map(formsOf);
    const matches: Match[] = [];
    for (let i = 0; i < words.length; ) {
      const m = matchAt(words, forms, i, indexesFor);
      if (m) {
        matches.push(m);
        i = m.end;
      } else i++;
    }
    const firstIndex = indexesFor(words[0]);
    const isQuestion = endsWithQuestion || firstIndex.some((ix) => forms[0].some((f) => ix.questionWords.has(f)));

    // Segment of each word position (contrast words start a new one, unless they open the message).
    const segOf: number[] = [];
    let mi = 0;
    for (let i = 0; i < words.length; i++) {
      while (mi < matches.length && matches[mi].end <= i) mi++;
      const m = matches[mi];
      if (m && m.start === i && m.entry.kind === 'contrast' && wordsSeen + i > 0) segment++;
      segOf.push(segment);
    }
    wordsSeen += words.length;

    const scored: { m: Match; weight: number; item: Item }[] = [];
    for (const m of matches) {
      const e = m.entry;
      if (e.kind === 'negator' && e.weight !== 0) items.push({ weight: e.weight, segment: segOf[m.start] });
      if (e.kind !== 'word' && e.kind !== 'expectation') continue;
      const negated =
        m.fusedNegation ||
        matches.some((n) => n.entry.kind === 'negator' && n.end <= m.start && m.start - n.end < NEGATION_WINDOW);
      let w: number;
      if (e.kind === 'expectation') w = negated ? e.negated : e.affirmed;
      else if (negated) w = e.weight * (e.weight > 0 ? NEGATED_POSITIVE : NEGATED_NEGATIVE);
      else w = e.weight;
      if (w === 0) continue;
      const span = words.slice(m.start, m.end);
      if (mixedCase && span.some((t) => t.caps)) w *= CAPS_BOOST;
      if (span.some((t) => t.elongated)) w *= ELONGATION_BOOST;
      if (isQuestion && w > 0) w *= QUESTION_POSITIVE_DAMP;
      const item = { weight: w, segment: segOf[m.start] };
      items.push(item);
      scored.push({ m, weight: w, item });
    }

    // Intensifiers scale the nearest scored entry; English modifiers precede the word,
    // Arabic ones usually follow it ("سيء جدا", "حلو مرة").
    for (const m of matches) {
      if (m.entry.kind !== 'intensifier') continue;
      const stretched = words.slice(m.start, m.end).some((t) => t.elongated);
      const factor = stretched && m.entry.factor > 1 ? m.entry.factor * ELONGATION_BOOST : m.entry.factor;
      const after = scored.find((s) => s.m.start >= m.end && s.m.start - m.end < INTENSIFIER_REACH);
      const before = [...scored].reverse().find((s) => s.m.end <= m.start && m.start - s.m.end < INTENSIFIER_REACH);
      const arabicWord = words[m.start].arabic || arabizi;
      const target = arabicWord ? (before ?? after) : (after ?? before);
      if (target) target.item.weight *= factor;
    }

    for (const [i, t] of words.entries()) {
      if (mixedCase && t.caps && t.norm.length >= 3 && !matches.some((m) => m.start <= i && i < m.end)) emphasis++;
    }
  };

  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    switch (t.type) {
      case 'word':
        clause.push(t);
        break;
      case 'emoji': {
        const w = emoji.get(t.key);
        if (w !== undefined) {
          items.push({ weight: w * EMOJI_REPEAT_DECAY ** emojiCount, segment });
          emojiCount++;
        }
        break;
      }
      case 'break':
        flush(false);
        break;
      case 'excl':
        exclamations++;
        if (toks[k + 1]?.type === 'quest') exasperated = true;
        flush(false);
        break;
      case 'quest': {
        const next = toks[k + 1]?.type;
        if (next === 'quest' || next === 'excl') exasperated = true;
        flush(true);
        break;
      }
    }
  }
  flush(false);

  let total = 0;
  for (const it of items) {
    const f = segment === 0 ? 1 : it.segment === segment ? AFTER_CONTRAST : BEFORE_CONTRAST;
    total += it.weight * f;
  }
  if (exasperated) total += EXASPERATED_PUNCTUATION;
  if (total !== 0) {
    const sign = Math.sign(total);
    total += sign * EXCLAMATION_STEP * Math.min(exclamations, EXCLAMATION_MAX);
    total *= 1 + EMPHASIS_STEP * Math.min(emphasis, 3);
  }
  return Number.isFinite(total) ? total : 0;
}

export function localSentimentScorer(): SentimentScorer {
  return {
    name: 'local-lexicon',
    // Nothing to cancel: scoring is a quick in-process computation, so the signal is not read.
    async score(text: string, lang?: 'ar' | 'en', _options?: { signal?: AbortSignal }): Promise<SentimentScore> {
      const raw = rawSentiment(text, lang);
      const score = Math.max(-1, Math.min(1, Math.round(Math.tanh(raw) * 1e4) / 1e4));
      return { score: score === 0 ? 0 : score, label: labelFor(score) };
    },
  };
}
