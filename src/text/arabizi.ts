/**
 * Arabizi (Arabic written in Latin letters and digits: «abi arja3 6alabi», "kam rusoom el
 * tawseel") to Arabic script, so retrieval over Arabic articles can read it. Written for this
 * project from the common chat conventions (digits for letters Latin lacks: 2 ء, 3 ع, 5 خ, 6 ط,
 * 7 ح, 8 ق/غ, 9 ق/ص; digraphs sh ش, kh خ, gh غ, th ث, dh ذ) and a short list of frequent words
 * whose spelling the rules miss; not from any evaluation set. Short vowels are dropped inside a
 * word, as Arabic writes them; long ones (aa, ee, oo) become ا ي و. The output then goes through
 * the same normaliser and stemmer as any Arabic text.
 */

const WORDS: Record<string, string> = {
  ana: 'انا',
  enta: 'انت',
  inta: 'انت',
  enti: 'انتي',
  inti: 'انتي',
  abi: 'ابي',
  aby: 'ابي',
  abgha: 'ابغى',
  abga: 'ابغى',
  ab8a: 'ابغى',
  abghy: 'ابغى',
  kam: 'كم',
  kem: 'كم',
  wain: 'وين',
  wein: 'وين',
  wen: 'وين',
  ween: 'وين',
  shlon: 'شلون',
  kaif: 'كيف',
  kef: 'كيف',
  kif: 'كيف',
  leish: 'ليش',
  lesh: 'ليش',
  leh: 'ليه',
  wesh: 'وش',
  wish: 'وش',
  aish: 'ايش',
  esh: 'ايش',
  shu: 'شو',
  ma: 'ما',
  mafi: 'مافي',
  mo: 'مو',
  mu: 'مو',
  mish: 'مش',
  msh: 'مش',
  fi: 'في',
  fe: 'في',
  min: 'من',
  mn: 'من',
  ila: 'الى',
  '3la': 'على',
  ala: 'على',
  '3an': 'عن',
  ma3: 'مع',
  hal: 'هل',
  hatha: 'هذا',
  hadha: 'هذا',
  hathi: 'هذي',
  hadhi: 'هذي',
  '3shan': 'عشان',
  ashan: 'عشان',
  bas: 'بس',
  bs: 'بس',
  ya: 'يا',
  '3ndi': 'عندي',
  '3indi': 'عندي',
  andi: 'عندي',
  '3ndkm': 'عندكم',
  '3indkum': 'عندكم',
  tawseel: 'توصيل',
  tawsil: 'توصيل',
  taw9eel: 'توصيل',
  rusoom: 'رسوم',
  rsoom: 'رسوم',
  rosoom: 'رسوم',
  flous: 'فلوس',
  floos: 'فلوس',
  fulus: 'فلوس',
  '6alab': 'طلب',
  '6alabi': 'طلبي',
  '6lbi': 'طلبي',
  '6alabiya': 'طلبيه',
  order: 'طلب',
  orderi: 'طلبي',
  shi7na: 'شحنه',
  sh7na: 'شحنه',
  shu7na: 'شحنه',
  mushkila: 'مشكله',
  moshkila: 'مشكله',
  mshkla: 'مشكله',
  bitaqa: 'بطاقه',
  beta8a: 'بطاقه',
  bi6aga: 'بطاقه',
  kart: 'كرت',
  card: 'كرت',
  raqam: 'رقم',
  ra8am: 'رقم',
  jawal: 'جوال',
  jawwal: 'جوال',
  mawjood: 'موجود',
  mawjud: 'موجود',
  inshallah: 'ان شاء الله',
  wallah: 'والله',
  yalla: 'يلا',
  shukran: 'شكرا',
  mashkoor: 'مشكور',
};

const DIGRAPHS: [RegExp, string][] = [
  [/sh/g, 'ش'],
  [/ch/g, 'ش'],
  [/kh/g, 'خ'],
  [/gh/g, 'غ'],
  [/th/g, 'ث'],
  [/dh/g, 'ذ'],
  [/aa/g, 'ا'],
  [/ee|ii/g, 'ي'],
  [/oo|uu|ou/g, 'و'],
  [/ai|ay|ei|ey/g, 'ي'],
  [/aw|ow/g, 'و'],
];
const LETTERS: Record<string, string> = {
  b: 'ب',
  p: 'ب',
  t: 'ت',
  j: 'ج',
  d: 'د',
  r: 'ر',
  z: 'ز',
  s: 'س',
  c: 'ك',
  f: 'ف',
  v: 'ف',
  q: 'ق',
  k: 'ك',
  g: 'ق',
  l: 'ل',
  m: 'م',
  n: 'ن',
  h: 'ه',
  w: 'و',
  y: 'ي',
  x: 'كس',
  '2': 'ء',
  '3': 'ع',
  '5': 'خ',
  '6': 'ط',
  '7': 'ح',
  '8': 'ق',
  '9': 'ص',
};

/** Words that mark a Latin-letter message as Arabizi (English words customers mix in are left out). */
export const ARABIZI_MARKERS: ReadonlySet<string> = new Set(
  Object.keys(WORDS).filter((w) => !['order', 'orderi', 'card', 'kart', 'min', 'ma', 'ya', 'leh'].includes(w)),
);

/** One Arabizi word to Arabic letters. */
export function arabiziWord(word: string): string {
  const w = word.toLowerCase();
  const known = WORDS[w];
  if (known) return known;
  // The article, written apart or joined: "el-tawseel", "il6alab", "al flous".
  const article = /^(el|il|al)-?(.{3,})$/.exec(w);
  if (article) return `ال${arabiziWord(article[2] as string)}`;
  let s = w;
  for (const [pattern, letter] of DIGRAPHS) s = s.replace(pattern, letter);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const first = i === 0;
    const last = i === s.length - 1;
    if ('aeiou'.includes(ch)) {
      // A word starts with alef; a final a is the feminine ending (ة, folded to ه), final i/e ي, o/u و.
      if (first) out += 'ا';
      else if (last) out += ch === 'a' ? 'ه' : ch === 'i' || ch === 'e' ? 'ي' : 'و';
      continue;
    }
    out += LETTERS[ch] ?? ch;
  }
  return out;
}

// Digits standing for letters are only read inside a word with letters: "200" stays a number.
const WORD = /[a-z0-9']+/gi;

/** Arabizi text to Arabic script; numbers, punctuation and spacing are kept. */
export function arabiziToArabic(text: string): string {
  return text.replace(/\b(el|il|al)\s+(?=[a-z0-9])/gi, 'al').replace(WORD, (w) => {
    if (!/[a-z]/i.test(w)) return w;
    return arabiziWord(w.replace(/'/g, ''));
  });
}
