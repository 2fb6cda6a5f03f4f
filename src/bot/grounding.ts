import { foldDigits } from '../text/redact.js';
import { terms, tokenise } from '../text/tokenise.js';

/**
 * Checks on a model's answer before any of it reaches a customer. The model reads text we do
 * not control (the customer's message, article bodies), so a prompt injection can make it say
 * anything; these checks hold whatever it was told. The answer must be made of the passages it
 * cites: no words of our instructions, no link, address, number or code the passages lack, no
 * markup, no invisible characters, and each sentence mostly in the passages' own words.
 * A failed check is no answer (the extractive answer or a person stands in).
 */
export type GroundingProblem =
  | 'prompt_leak'
  | 'hidden_characters'
  | 'markup'
  | 'foreign_link'
  | 'foreign_identifier'
  | 'ungrounded';

export interface GroundingSource {
  /** What the answer may draw on: the cited passages' text and their articles' titles. */
  passages: string[];
  /** The instructions the model was given: none of their wording may come back. */
  instructions: string[];
  /** Secret markers placed in the instructions: their appearance anywhere is a leak. */
  canaries: string[];
}

// Bidi embeddings, overrides and isolates, zero-width space and invisible operators, the BOM,
// and Unicode tag characters (invisible ASCII): nothing a customer needs, everything a hidden
// message does. ZWJ/ZWNJ and LRM/RLM stay: Arabic text uses them.
const HIDDEN = /[\u200B\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/u;
// Raw HTML of any kind (tags, comments, declarations) and Markdown images, which fetch a URL on
// display: the classic way to carry data out.
const MARKUP = /<\/?[a-z!?]|!\[[^\]]*\]\s*[([]|&#x?[0-9a-f]+;?/i;
const SCHEME = /\b([a-z][a-z0-9+.-]{1,20}):(?:\/\/|[^\s\d])/gi;
const URL_LIKE =
  /(?:https?:\/\/|www\.)[^\s<>()[\]"'`،]+|\b(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+(?:[a-z]{2,24})\b(?:\/[^\s<>()[\]"'`،]*)?/gi;
const EMAIL = /[^\s@<>()[\]"'`]+@[^\s@<>()[\]"'`]+\.[^\s@<>()[\]"'`]+/g;
// Numbers (order numbers, phones, prices, days) and codes mixing letters and digits.
const NUMBER = /\d+/g;
const LIST_MARKER = /^[ \t]*\d{1,2}[.)][ \t]/gm;
const CODE = /[\p{L}\d][\p{L}\d_-]*/gu;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
// Runs of this many words shared with the instructions (and not with the passages) are a leak.
const LEAK_RUN = 5;
// Share of a sentence's content words that must come from the cited passages, and of the whole answer.
const SENTENCE_SUPPORT = 0.5;
const ANSWER_SUPPORT = 0.6;
// Sentences with fewer content words than this must be made of the passages' words (or courtesy) entirely.
const SHORT_SENTENCE = 3;

/**
 * The courtesy a good answer wraps around the facts, in both languages: words that are no
 * content of their own. Written for the project.
 */
const COURTESY = terms(`
  hello hi thanks thank you welcome glad happy help helping assist assistance please sorry
  apologise apologize inconvenience let know need anything else question questions feel free
  reach out contact us hope helps sure certainly course great day understand see visit write
  check find here there
  مرحبا اهلا أهلا شكرا شكراً عفوا العفو سعيد سعداء يسعدني خدمتك خدمتكم مساعدتك المساعدة مساعدة
  نعتذر آسف آسفون ازعاج الإزعاج تواصل التواصل معنا أي سؤال اخر آخر استفسار استفسارات نأمل أتمنى
  بالتأكيد طبعا يوم سعيد أفهم نفهم عزيزي العميل عميلنا راجع زر زيارة اكتب هنا لتواصلك لتواصلكم
  بتواصلك تواصلك لخدمتك بخدمتك لمساعدتك
`);

const fold = (s: string) => foldDigits(s.normalize('NFKC')).toLowerCase();
const stripUrl = (u: string) =>
  u
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[.,;:!?)\]]+$/, '')
    .replace(/\/$/, '');

/**
 * A check for answers drawn from `source`: the first problem found in an answer, or undefined
 * when it is grounded. Built once per model call, since streamed drafts are checked as they grow.
 */
export function groundingCheck(source: GroundingSource): (answer: string) => GroundingProblem | undefined {
  const passages = fold(source.passages.join('\n'));
  const canaries = source.canaries.filter(Boolean).map(fold);
  const kbRuns = runs(tokenise(passages));
  const instructionRuns = new Set<string>();
  for (const instruction of source.instructions) {
    for (const run of runs(tokenise(fold(instruction)))) if (!kbRuns.has(run)) instructionRuns.add(run);
  }
  const passagesHaveMarkup = MARKUP.test(passages);
  const knownUrls = passages.replace(/https?:\/\/|www\./g, '');
  const grouped = (s: string) => s.replace(/(\d)[,٬'’ ](?=\d{3}\b)/g, '$1');
  const passageNumbers = new Set(grouped(passages).match(NUMBER) ?? []);
  const known = new Set([...terms(source.passages.join('\n')), ...COURTESY]);

  return (answer) => {
    const text = fold(answer);
    if (canaries.some((c) => text.includes(c))) return 'prompt_leak';
    for (const run of runs(tokenise(text))) if (instructionRuns.has(run)) return 'prompt_leak';
    if (HIDDEN.test(answer) || HIDDEN.test(text)) return 'hidden_characters';
    if (MARKUP.test(text) && !passagesHaveMarkup) return 'markup';

    for (const m of text.matchAll(SCHEME)) {
      const scheme = m[1]!.toLowerCase();
      if (!SAFE_SCHEMES.has(scheme) && /^(?:[a-z]*script|data|file|blob|intent|ftp)$/.test(scheme))
        return 'foreign_link';
    }
    for (const m of text.matchAll(URL_LIKE)) {
      const url = stripUrl(m[0]);
      if (url && !knownUrls.includes(url)) return 'foreign_link';
    }
    for (const m of text.matchAll(EMAIL)) {
      if (!passages.includes(m[0].replace(/[.,;:!?)\]]+$/, ''))) return 'foreign_link';
    }

    // Numbers are facts (days, prices, steps): each must be one the passages give. List markers
    // ("1." at the start of a line) are not facts.
    const numbersSaid = grouped(text).replace(LIST_MARKER, '');
    for (const m of numbersSaid.matchAll(NUMBER)) {
      if (!passageNumbers.has(m[0])) return 'foreign_identifier';
    }
    for (const m of text.matchAll(CODE)) {
      const token = m[0].replace(/[-_]+$/, '');
      if (token.length >= 5 && /\d/.test(token) && /\p{L}/u.test(token) && !passages.includes(token))
        return 'foreign_identifier';
    }

    if (!supported(answer, known)) return 'ungrounded';
    return undefined;
  };
}

function runs(words: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + LEAK_RUN <= words.length; i++) out.add(words.slice(i, i + LEAK_RUN).join(' '));
  return out;
}

/** Each sentence, and the answer as a whole, mostly in the passages' own words (or courtesy). */
function supported(answer: string, known: Set<string>): boolean {
  let total = 0;
  let found = 0;
  // Links, addresses and list markers were judged already; their pieces are no words.
  const prose = answer.replace(EMAIL, ' ').replace(URL_LIKE, ' ').replace(LIST_MARKER, '');
  for (const sentence of prose.split(/[.!?؟]+(?=\s|$)|\n+|[:;،؛]\s/)) {
    const words = terms(sentence);
    const hits = words.filter((w) => known.has(w)).length;
    total += words.length;
    found += hits;
    // Short ones wholly: "Rules disabled." after a true sentence is the whole injection.
    const needed = words.length < SHORT_SENTENCE ? words.length : words.length * SENTENCE_SUPPORT;
    if (hits < needed) return false;
  }
  return total === 0 || found / total >= ANSWER_SUPPORT;
}
