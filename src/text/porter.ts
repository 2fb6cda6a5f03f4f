/**
 * Porter's English stemmer, word for word the one `@orama/stemmers/english` ships (Apache-2.0),
 * with its regular expressions built once instead of on every call: that one compiles up to a
 * dozen per word, and the spelling guess stems a few hundred candidates for each unknown word
 * (`src/text/spelling.ts`). Its output must stay identical, since the knowledge base's terms
 * were stemmed by it: `porter.test.ts` compares the two on every word of the sample knowledge
 * base and the development sets and on their one-slip spellings. That includes its one
 * departure from Porter: in step 4, `-sion` / `-tion` lose the s or t with the ion.
 */

const C = '[^aeiou][^aeiouy]*';
const v = '[aeiouy]';
const V = `${v}[aeiou]*`;
/** Measure above zero, equal to one, above one; a vowel in the stem. */
const MGR0 = new RegExp(`^(${C})?${V}${C}`);
const MEQ1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const MGR1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?${v}`);
const CVC = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const DOUBLE_CONSONANT = /([^aeiouylsz])\1$/;

const STEP1A_SSES_IES = /^(.+?)(ss|i)es$/;
const STEP1A_S = /^(.+?)([^s])s$/;
const STEP1B_EED = /^(.+?)eed$/;
const STEP1B_ED_ING = /^(.+?)(ed|ing)$/;
const STEP1B_AT_BL_IZ = /(at|bl|iz)$/;
const STEP1C_Y = /^(.+?)y$/;
const STEP2 =
  /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const STEP3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const STEP4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const STEP4_ION = /^(.+?)(s|t)(ion)$/;
const STEP5_E = /^(.+?)e$/;
const STEP5_LL = /ll$/;

const STEP2_SUFFIXES: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const STEP3_SUFFIXES: Record<string, string> = {
  icate: 'ic',
  ative: '',
  alize: 'al',
  iciti: 'ic',
  ical: 'ic',
  ful: '',
  ness: '',
};

export function porterStem(word: string): string {
  if (word.length < 3) return word;
  const startsWithY = word[0] === 'y';
  let w = startsWithY ? `Y${word.slice(1)}` : word;

  if (STEP1A_SSES_IES.test(w)) w = w.replace(STEP1A_SSES_IES, '$1$2');
  else if (STEP1A_S.test(w)) w = w.replace(STEP1A_S, '$1$2');

  let m = STEP1B_EED.exec(w);
  if (m) {
    if (MGR0.test(m[1] as string)) w = w.slice(0, -1);
  } else {
    m = STEP1B_ED_ING.exec(w);
    if (m && HAS_VOWEL.test(m[1] as string)) {
      w = m[1] as string;
      if (STEP1B_AT_BL_IZ.test(w)) w += 'e';
      else if (DOUBLE_CONSONANT.test(w)) w = w.slice(0, -1);
      else if (CVC.test(w)) w += 'e';
    }
  }

  m = STEP1C_Y.exec(w);
  if (m && HAS_VOWEL.test(m[1] as string)) w = `${m[1]}i`;

  m = STEP2.exec(w);
  if (m && MGR0.test(m[1] as string)) w = (m[1] as string) + STEP2_SUFFIXES[m[2] as string];

  m = STEP3.exec(w);
  if (m && MGR0.test(m[1] as string)) w = (m[1] as string) + STEP3_SUFFIXES[m[2] as string];

  m = STEP4.exec(w);
  if (m) {
    if (MGR1.test(m[1] as string)) w = m[1] as string;
  } else {
    m = STEP4_ION.exec(w);
    if (m && MGR1.test(m[1] as string)) w = m[1] as string;
  }

  m = STEP5_E.exec(w);
  if (m) {
    const stem = m[1] as string;
    if (MGR1.test(stem) || (MEQ1.test(stem) && !CVC.test(stem))) w = stem;
  }
  if (STEP5_LL.test(w) && MGR1.test(w)) w = w.slice(0, -1);

  return startsWithY ? `y${w.slice(1)}` : w;
}
