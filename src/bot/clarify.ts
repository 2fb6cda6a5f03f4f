import type { Retrieval } from '../knowledge/retrieve.js';
import type { Lang } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { safeInline } from '../text/safe-markdown.js';
import { terms } from '../text/tokenise.js';
import type { Choice } from './decision.js';

/** At most this many articles are offered; "talk to a person" always comes after them. */
export const MAX_CHOICES = 3;
/** An article is offered only when its fused score is at least this share of the best one's. */
const SCORE_RATIO = 0.35;
/** Half the question's words unknown to the knowledge base marks it out of scope: no choices. */
const MAX_NOVELTY = 0.5;

/**
 * The articles worth offering in a "did you mean …?": the best few, in the customer's language
 * when the knowledge base has them (titles are what the customer reads), each close enough to
 * the best to be a real alternative. None when the question had no searchable word, or when
 * half its words are unknown to the knowledge base (a question on another topic: a person).
 */
export function choicesFor(retrieval: Retrieval, lang: Lang): Choice[] {
  if (retrieval.queryTerms.length === 0) return [];
  if (retrieval.unknownTerms.length / retrieval.queryTerms.length >= MAX_NOVELTY) return [];
  const same = retrieval.articles.filter((a) => a.lang === lang);
  const pool = same.length > 0 ? same : retrieval.articles;
  const best = pool[0]?.score ?? 0;
  if (best <= 0) return [];
  return pool
    .filter((a) => a.score >= best * SCORE_RATIO)
    .slice(0, MAX_CHOICES)
    .map((a) => ({ articleId: a.articleId, title: a.title }));
}

/** The "did you mean …?" message: numbered titles, then "none of these: talk to a person". */
export function clarifyReply(choices: Choice[], lang: Lang): string {
  const lines = choices.map((c, i) => `${i + 1}. ${safeInline(c.title)}`);
  const none = choices.length + 1;
  return lang === 'ar'
    ? [
        'لست متأكدًا مما تقصده. هل تقصد أحد هذه المواضيع؟',
        '',
        ...lines,
        `${none}. لا شيء مما سبق: أريد التحدث مع موظف`,
        '',
        'اكتب رقم الخيار أو عنوانه.',
      ].join('\n')
    : [
        "I'm not sure I understood. Did you mean one of these?",
        '',
        ...lines,
        `${none}. None of these: talk to a person`,
        '',
        'Reply with the number or the title.',
      ].join('\n');
}

export type ChoiceResolution = { kind: 'article'; choice: Choice } | { kind: 'none' } | undefined;

const ORDINALS: [RegExp, number][] = [
  [/^(the )?(first|1st)( one)?$|^(ال)?(اول|اولي|اوله)$|^واحد$/, 1],
  [/^(the )?(second|2nd)( one)?$|^(ال)?(ثاني|ثانيه)$|^اثنين$|^ثنين$/, 2],
  [/^(the )?(third|3rd)( one)?$|^(ال)?(ثالث|ثالثه)$|^ثلاثه$|^ثلاث$/, 3],
  [/^(the )?(fourth|4th|last)( one)?$|^(ال)?(رابع|رابعه|اخير|اخيره)$|^اربعه$/, 4],
];
const NONE =
  /^(none|none of (these|them|the above)|neither|no|nope|nothing|not these|other|something else|talk to a (person|human)|a person|لا|لاء|ولا شي|ولا شيء|ولا واحد|ولا وحده|ولا وحد|لا شي|لا شيء|لا شيء مما سبق|ولا واحد منهم|غير كذا|شي ثاني|موظف|ابي موظف|ابغى موظف)$/;

/**
 * The customer's answer to "did you mean …?": an offered article (by the widget or WhatsApp
 * press, its number, an ordinal, or its title), "none of these", or nothing (a new question).
 */
export function resolveChoice(text: string, structured: string | undefined, choices: Choice[]): ChoiceResolution {
  if (structured) {
    if (structured === 'none' || structured === 'human') return { kind: 'none' };
    const picked = choices.find((c) => c.articleId === structured);
    if (picked) return { kind: 'article', choice: picked };
  }
  const said = normaliseForSearch(text)
    .replace(/[.!?,،؟:;()"'«»\-–—]+/gu, ' ')
    .replace(/^(رقم|الخيار|خيار|number|option|choice|#)\s*/u, '')
    .replace(/\s+(please|pls|لو سمحت|لو سمحتو|من فضلك)$/u, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!said) return undefined;
  const byIndex = (n: number): ChoiceResolution => {
    if (n >= 1 && n <= choices.length) return { kind: 'article', choice: choices[n - 1] as Choice };
    if (n === choices.length + 1) return { kind: 'none' };
    return undefined;
  };
  const digit = /^(\d)$/.exec(said);
  if (digit) return byIndex(Number(digit[1]));
  for (const [pattern, n] of ORDINALS) if (pattern.test(said)) return byIndex(n === 4 ? choices.length + 1 : n);
  if (NONE.test(said)) return { kind: 'none' };
  // The title, or most of its words: the one offered title the message matches best.
  const words = new Set(terms(said));
  if (words.size === 0) return undefined;
  let best: { choice: Choice; share: number } | undefined;
  let tie = false;
  for (const choice of choices) {
    const title = terms(choice.title);
    if (title.length === 0) continue;
    const shared = title.filter((t) => words.has(t)).length;
    // The share of the title the message names and of the message the title covers, whichever is lower.
    const share = Math.min(shared / title.length, shared / words.size);
    if (!best || share > best.share) {
      best = { choice, share };
      tie = false;
    } else if (share === best.share) tie = true;
  }
  return best && !tie && best.share >= 0.6 ? { kind: 'article', choice: best.choice } : undefined;
}
