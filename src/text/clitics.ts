const ARABIC_WORD = /^\p{Script=Arabic}+$/u;
// A preposition or conjunction written onto the next word: ب ("with"), ل ("for"), ك ("like"),
// ف ("so"), after و / ف. The light stemmer leaves them (بطاقة starts with ب), so they are only
// cut where the knowledge base knows the rest (see retrieve.ts).
const PROCLITICS = ['وب', 'ول', 'فب', 'فل', 'ب', 'ل', 'ك', 'ف'];
// An object pronoun ("me": ني) or, in dialect, ل with a pronoun written onto the verb
// (بحكيلي "he tells me", رجعولي "they gave back to me").
const ENCLITICS = ['لها', 'لنا', 'لهم', 'لكم', 'لي', 'لك', 'له', 'ني'];

/**
 * An Arabic word (normalised) without the clitics the light stemmer keeps: one leading
 * preposition or conjunction and one trailing pronoun, leaving at least three letters.
 * Undefined when there is none to cut. A candidate only: cutting is right for ببطاقتي and
 * wrong for بطاقة, so the caller keeps it only when the knowledge base knows the result and
 * not the word.
 */
export function withoutClitics(word: string): string | undefined {
  if (!ARABIC_WORD.test(word)) return undefined;
  let w = word;
  const front = PROCLITICS.find((p) => w.startsWith(p) && w.length - p.length >= 3);
  if (front) w = w.slice(front.length);
  const back = ENCLITICS.find((s) => w.endsWith(s) && w.length - s.length >= 3);
  if (back) w = w.slice(0, -back.length);
  return w === word ? undefined : w;
}
