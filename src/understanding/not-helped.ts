import { normaliseForSearch } from '../text/normalise.js';
import { terms, tokenise } from '../text/tokenise.js';

// Ways customers say the last answer missed, written for this project (English, MSA, Gulf).
const PATTERNS = [
  /\b(did ?n[o']?t|does ?n[o']?t|not) help(ful|ed)?\b/,
  /\bnot what i (asked|meant|need)/,
  /\b(wrong|useless|irrelevant) (answer|reply|response)\b/,
  /\byou (did ?n[o']?t|are ?n[o']?t) (answer|understand|listening)/,
  /\bthat'?s not (it|right|my question)\b/,
  /(ما|مو|مب|لم) ?(فادني|فادتني|يفيدني|تفيدني|ساعدني|ساعدتني|نفعني)/,
  /(مو|مب|ليس|ماهو|مهو) (هذا|هذي|هاذا) (سوالي|سؤالي|قصدي|اللي ابي)/,
  /(ما|لم) (جاوبت|تجاوب|فهمت|تفهم|فهمتني|تفهمني)/,
  /(جواب|رد|اجابه) (غلط|خطا|مو صحيح)/,
  /(ما له دخل|مالها دخل|ماله دخل)/,
];

/** True when the customer says the bot's last answer did not help. */
export function saysNotHelped(text: string): boolean {
  const t = normaliseForSearch(text.slice(0, 1000));
  return PATTERNS.some((p) => p.test(t));
}

// Words that talk about the exchange itself rather than a topic ("my question", «الجواب»).
const ABOUT_THE_ANSWER = new Set(
  [
    'question',
    'answer',
    'reply',
    'response',
    'still',
    'again',
    'all',
    'سوال',
    'سوالي',
    'السوال',
    'جواب',
    'الجواب',
    'جوابك',
    'رد',
    'الرد',
    'ردك',
    'اجابه',
    'الاجابه',
    'اجابتك',
    'ابدا',
    'برضو',
    'للحين',
    'بعد',
    'كمان',
  ].map(normaliseForSearch),
);

/**
 * True when the message says the last answer did not help and asks nothing new ("that didn't
 * help", «ما فادني»): there is no question in it to search the knowledge base for.
 */
export function onlySaysNotHelped(text: string): boolean {
  let rest = normaliseForSearch(text.slice(0, 1000));
  if (!PATTERNS.some((p) => p.test(rest))) return false;
  for (const p of PATTERNS) rest = rest.replace(new RegExp(p.source, 'g'), ' ');
  const words = tokenise(rest).filter((w) => !ABOUT_THE_ANSWER.has(w));
  return terms(words.join(' ')).length === 0;
}
