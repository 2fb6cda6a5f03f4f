/**
 * Personal-data redaction, applied to every customer text before it reaches a model and
 * before it is logged. Detects Saudi mobile and landline numbers (and international numbers
 * written with + or 00), Saudi national ID / Iqama numbers, IBANs (mod-97 checked), payment
 * card numbers (Luhn checked) and e-mail addresses, in Latin, Arabic-Indic (٠-٩) or Persian
 * (۰-۹) digits, with spaces, dashes, dots, brackets or bidi marks between digit groups.
 *
 * Matching runs on a copy of the text whose digits are folded to ASCII one code unit for one
 * code unit, so every index found there is an index into the original: the original span is
 * what gets replaced. Numbers customers quote for us to act on (order, ticket, invoice
 * numbers: 6–8 digits, or codes such as "#A-10293") never take a PII shape and are kept.
 *
 * Never throws; redact(redact(x).text).text === redact(x).text.
 */

export type PiiKind = 'phone' | 'national_id' | 'iban' | 'card' | 'email';

export interface Redaction {
  text: string;
  /** Kinds found, each once, in order of first appearance. */
  found: PiiKind[];
}

export const PII_PLACEHOLDER: Readonly<Record<PiiKind, string>> = {
  phone: '[PHONE]',
  national_id: '[NATIONAL_ID]',
  iban: '[IBAN]',
  card: '[CARD]',
  email: '[EMAIL]',
};

interface Span {
  start: number;
  end: number;
  kind: PiiKind;
}

// Arabic-Indic, extended (Persian/Urdu) and full-width digits: each one UTF-16 code unit.
const WIDE_DIGIT = /[\u0660-\u0669\u06F0-\u06F9\uFF10-\uFF19]/g;

/** ASCII digits, same length as the input (so indices carry over to the original). */
export function foldDigits(text: string): string {
  return text.replace(WIDE_DIGIT, (d) => {
    const c = d.charCodeAt(0);
    const base = c >= 0xff10 ? 0xff10 : c >= 0x06f0 ? 0x06f0 : 0x0660;
    return String(c - base);
  });
}

// What may sit between the digit groups of one number: spaces (incl. no-break and thin),
// zero-width and bidi marks (common around numbers in Arabic text), dashes, dots, brackets.
const SEP_CLASS =
  '[ \\t\\u00A0\\u1680\\u2000-\\u200F\\u2010-\\u2015\\u202A-\\u202F\\u205F\\u2066-\\u2069\\u3000\\u061C\\u2212\\-.()]';
const DIGIT_RUN = new RegExp(`(\\+${SEP_CLASS}{0,2})?\\d+(?:${SEP_CLASS}{1,3}\\d+)*`, 'g');
const GROUP = /\d+/g;
// Stand-in for already-redacted text while later passes run: not a digit, letter or separator.
const MASK = '\u0001';

const EMAIL = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

// IBAN lengths for the countries Sanad's customers are most likely to quote (Gulf, region,
// and common European banks). Saudi: SA + 2 check digits + 2 bank digits + 18 = 24.
const IBAN_LENGTH: Record<string, number> = {
  SA: 24,
  AE: 23,
  BH: 22,
  KW: 30,
  QA: 29,
  OM: 23,
  EG: 29,
  JO: 30,
  LB: 28,
  IQ: 23,
  PS: 29,
  TR: 26,
  GB: 22,
  DE: 22,
  FR: 27,
  NL: 18,
  IE: 22,
  ES: 24,
  IT: 27,
  CH: 21,
  PK: 24,
};
const IBAN_START = new RegExp(`(?<![\\p{L}\\p{N}])([A-Za-z]{2})(?=${SEP_CLASS}{0,2}\\d\\d)`, 'gu');
const IBAN_SEP = new RegExp(`^${SEP_CLASS}$`);
const ALNUM_ASCII = /^[A-Za-z0-9]$/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const LATIN_LETTER = /[A-Za-z]/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = v > 9 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** The Saudi national ID / Iqama check: 10 digits, 1 (citizen) or 2 (resident), Luhn. */
export function saudiIdValid(digits: string): boolean {
  return /^[12]\d{9}$/.test(digits) && luhnValid(digits);
}

function isPhone(d: string, plus: boolean, sizes: number[]): boolean {
  if (plus) {
    if (/^966/.test(d)) return /^966(?:0?5\d{8}|0?1[1-7]\d{7})$/.test(d);
    return /^[1-9]\d{7,14}$/.test(d); // E.164: a country code and up to 15 digits
  }
  if (/^(?:00)?966(?:0?5\d{8}|0?1[1-7]\d{7})$/.test(d)) return true;
  if (/^05\d{8}$/.test(d) || /^01[1-7]\d{7}$/.test(d)) return true;
  // Bare 5XXXXXXXX: the leading 5 must not stand alone as its own group ("5 12345678").
  if (/^5\d{8}$/.test(d)) return sizes[0] >= 2;
  return /^00[1-9]\d{8,14}$/.test(d); // international number dialled with 00
}

function isCard(d: string, sizes: number[]): boolean {
  if (d.length < 13 || d.length > 19 || !/^[1-9]/.test(d) || /^(\d)\1*$/.test(d)) return false;
  if (!luhnValid(d)) return false;
  if (isPhone(d, false, sizes)) return false;
  // How cards are written: unbroken, in fours (last group shorter), or Amex/Diners 4-6-5 / 4-6-4.
  if (sizes.length === 1) return true;
  const last = sizes[sizes.length - 1];
  if (sizes.slice(0, -1).every((n) => n === 4) && last >= 1 && last <= 4) return true;
  return sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (last === 5 || last === 4);
}

// Words just before a number that say what it is. Compared after folding (see contextTokens).
const ID_KEYWORDS = [
  'هويه',
  'هويتي',
  'الهويه',
  'هويته',
  'اقامه',
  'اقامتي',
  'الاقامه',
  'اقامته',
  'سجل مدني',
  'السجل المدني',
  'سجلي المدني',
  'الهويه الوطنيه',
  'هويه وطنيه',
  'هويتي الوطنيه',
  'iqama',
  'iqamah',
  'national id',
  'id',
  'nid',
  'identity',
  'id number',
  'national id number',
  'iqama number',
  'resident id',
  'residency',
];
const ORDER_KEYWORDS = [
  'order',
  'orders',
  'طلب',
  'الطلب',
  'طلبي',
  'طلبيه',
  'الطلبيه',
  'طلبيتي',
  'شحنه',
  'الشحنه',
  'شحنتي',
  'tracking',
  'shipment',
  'invoice',
  'فاتوره',
  'الفاتوره',
  'فاتورتي',
  'ref',
  'reference',
  'مرجع',
  'المرجع',
  'ticket',
  'تذكره',
  'بلاغ',
  'البلاغ',
  'case',
  'awb',
  'booking',
  'حجز',
  'الحجز',
];
const CONTEXT_FILLERS = new Set([
  'رقم',
  'رقمها',
  'رقمه',
  'رقمي',
  'هو',
  'هي',
  'الوطنيه',
  'number',
  'no',
  'num',
  'nr',
  'is',
  'my',
  'the',
  'of',
  'id',
]);

function foldContext(s: string): string {
  return s
    .toLowerCase()
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/[\u064B-\u065F\u0640\u0670]/g, '');
}
const ID_SET = new Set(ID_KEYWORDS.map(foldContext));
const ORDER_SET = new Set(ORDER_KEYWORDS.map(foldContext));

/** Whether the words right before `at` (skipping up to three fillers) are one of `keywords`. */
function keywordBefore(masked: string, at: number, keywords: Set<string>): boolean {
  const before = foldContext(masked.slice(Math.max(0, at - 60), at));
  const tokens = before.split(/[\s:#=\-–—.,،؛()\u200E\u200F\u061C]+/u);
  if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
  let end = tokens.length;
  for (let skipped = 0; skipped <= 3 && end > 0; skipped++) {
    for (let n = 1; n <= 3 && n <= end; n++) {
      const [first, ...rest] = tokens.slice(end - n, end);
      for (const head of withoutClitic(first as string)) if (keywords.has([head, ...rest].join(' '))) return true;
    }
    if (!withoutClitic(tokens[end - 1] as string).some((t) => CONTEXT_FILLERS.has(t))) return false;
    end--;
  }
  return false;
}

// Arabic writes "and", "so", "with", "for", "like" as a letter joined to the next word:
// «وهويتي» is «و» + «هويتي», «برقم» is «ب» + «رقم».
const CLITIC = /^[وفبلك]/;
const withoutClitic = (token: string): string[] =>
  CLITIC.test(token) && token.length >= 4 ? [token, token.slice(1)] : [token];

function maskSpans(folded: string, spans: Span[]): string {
  if (spans.length === 0) return folded;
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    out += folded.slice(at, s.start) + MASK.repeat(s.end - s.start);
    at = s.end;
  }
  return out + folded.slice(at);
}

function findEmails(folded: string, spans: Span[]): void {
  // Repeat until nothing new is found, so an address left over right behind another one
  // ("a@b.com_c@d.com") is found now rather than on the next call (idempotence).
  for (let round = 0; round < 100; round++) {
    const before = spans.length;
    findEmailsOnce(maskSpans(folded, spans), spans);
    if (spans.length === before) return;
  }
}

function findEmailsOnce(masked: string, spans: Span[]): void {
  for (const m of masked.matchAll(EMAIL)) {
    const at = m.index ?? 0;
    const value = m[0];
    const atSign = value.indexOf('@');
    const labels = value.slice(atSign + 1).split('.');
    // End the address at its last label that could be a top-level domain (two or more
    // characters, at least one a letter): "a@b.com.", "a@b.co.sa", not "a@b.c" or "a@1.2".
    let last = labels.length - 1;
    while (last >= 1 && !(labels[last].length >= 2 && /\p{L}/u.test(labels[last]))) last--;
    if (last < 1 || atSign === 0) continue;
    const end = at + atSign + 1 + labels.slice(0, last + 1).join('.').length;
    spans.push({ start: at, end, kind: 'email' });
  }
}

function findIbans(masked: string, spans: Span[]): void {
  for (const m of masked.matchAll(IBAN_START)) {
    const start = m.index ?? 0;
    const country = (m[1] as string).toUpperCase();
    const length = IBAN_LENGTH[country];
    if (!length) continue;
    let compact = country;
    let i = start + 2;
    let sepRun = 0;
    while (i < masked.length && compact.length < length) {
      const ch = masked[i];
      if (ALNUM_ASCII.test(ch)) {
        compact += ch;
        sepRun = 0;
      } else if (IBAN_SEP.test(ch) && sepRun < 2) {
        sepRun++;
      } else break;
      i++;
    }
    if (compact.length !== length || sepRun > 0) continue;
    if (i < masked.length && WORD_CHAR.test(masked[i])) continue;
    if (!ibanValid(compact)) continue;
    spans.push({ start, end: i, kind: 'iban' });
  }
}

interface Group {
  start: number;
  end: number;
}

type DigitKind = 'card' | 'phone' | 'national_id';
const MIN_DIGITS: Record<DigitKind, number> = { card: 13, phone: 8, national_id: 10 };

/** One pass over the digit runs of `masked`, claiming spans of whole digit groups. */
function findDigits(masked: string, spans: Span[], kind: DigitKind): void {
  for (const m of masked.matchAll(DIGIT_RUN)) {
    const runStart = m.index ?? 0;
    const run = m[0];
    const plus = m[1] !== undefined;
    const groups: Group[] = [];
    for (const g of run.matchAll(GROUP)) {
      const s = runStart + (g.index ?? 0);
      groups.push({ start: s, end: s + g[0].length });
    }
    if (groups.length === 0) continue;
    // Digits glued to a Latin letter are a code ("A10293", "INV0551234567"), as is a number
    // behind '#' ("#10293", "#A-10293").
    const before = masked.slice(Math.max(0, groups[0].start - 2), groups[0].start);
    const gluedLeft = LATIN_LETTER.test(before.slice(-1)) || before.endsWith('#') || /[A-Za-z][-_/]$/.test(before);
    const after = masked[runStart + run.length] ?? '';
    const gluedRight = LATIN_LETTER.test(after);
    let i = 0;
    while (i < groups.length) {
      let best = -1;
      let digits = '';
      const sizes: number[] = [];
      for (let j = i; j < groups.length; j++) {
        const g = groups[j];
        digits += masked.slice(g.start, g.end);
        sizes.push(g.end - g.start);
        if (digits.length > 19) break;
        if (digits.length < MIN_DIGITS[kind]) continue;
        if ((i === 0 && gluedLeft) || (j === groups.length - 1 && gluedRight)) continue;
        if (matches(kind, digits, sizes, i === 0 && plus, masked, groups[i].start, i === 0)) best = j;
      }
      if (best >= 0) {
        let start = i === 0 && plus && kind === 'phone' ? runStart : groups[i].start;
        const end = groups[best].end;
        // "(055) 123 4567": take the opening bracket with the number it belongs to.
        if (masked[start - 1] === '(' && masked.slice(start, end).includes(')')) start--;
        spans.push({ start, end, kind });
        i = best + 1;
      } else i++;
    }
  }
}

function matches(
  kind: DigitKind,
  digits: string,
  sizes: number[],
  plus: boolean,
  masked: string,
  start: number,
  runStart: boolean,
): boolean {
  switch (kind) {
    case 'card':
      return isCard(digits, sizes);
    case 'phone':
      return isPhone(digits, plus, sizes) || (plus && isPhone(digits, false, sizes));
    case 'national_id': {
      if (!/^[12]\d{9}$/.test(digits)) return false;
      if (runStart && keywordBefore(masked, start, ORDER_SET)) return false;
      return luhnValid(digits) || (runStart && keywordBefore(masked, start, ID_SET));
    }
  }
}

function redactString(text: string): Redaction {
  const folded = foldDigits(text);
  const spans: Span[] = [];
  findEmails(folded, spans);
  findIbans(maskSpans(folded, spans), spans);
  // Cards first (Luhn plus card-shaped grouping is the most specific), then phones, then IDs.
  for (const kind of ['card', 'phone', 'national_id'] as const) findDigits(maskSpans(folded, spans), spans, kind);
  if (spans.length === 0) return { text, found: [] };
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  const found: PiiKind[] = [];
  for (const s of spans) {
    out += text.slice(at, s.start) + PII_PLACEHOLDER[s.kind];
    at = s.end;
    if (!found.includes(s.kind)) found.push(s.kind);
  }
  return { text: out + text.slice(at), found };
}

/** Replace personal data in `text` with placeholders such as [PHONE]. Never throws. */
export function redact(text: string): Redaction {
  let input: string;
  try {
    input = typeof text === 'string' ? text : text == null ? '' : String(text);
  } catch {
    return { text: '', found: [] };
  }
  try {
    return redactString(input);
  } catch {
    // Defensive only: if detection ever failed, hand back nothing rather than raw data.
    return { text: '[REDACTION_FAILED]', found: [] };
  }
}

const MAX_DEPTH = 12;

/**
 * A copy of `value` with every string redacted, for log serializers. Walks arrays, plain
 * objects, Maps, Sets and Errors (as { name, message, stack, ...own fields }); keys are kept;
 * numbers are kept (a log field such as a timestamp is not a phone number). Cycles become
 * "[Circular]", nesting deeper than 12 levels "[Depth]". Never throws.
 */
export function redactDeep(value: unknown): unknown {
  return walk(value, 0, new WeakSet<object>());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value).text;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Depth]';
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) out.set(k, walk(v, depth + 1, seen));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      for (const v of value) out.add(walk(v, depth + 1, seen));
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (proto !== Object.prototype && proto !== null && !(value instanceof Error) && typeof toJSON === 'function') {
      return walk(toJSON.call(value), depth + 1, seen);
    }
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.name = value.name;
      out.message = walk(value.message, depth + 1, seen);
      if (value.stack !== undefined) out.stack = walk(value.stack, depth + 1, seen);
      if ('cause' in value && value.cause !== undefined) out.cause = walk(value.cause, depth + 1, seen);
    }
    for (const key of Object.keys(value)) {
      try {
        out[key] = walk((value as Record<string, unknown>)[key], depth + 1, seen);
      } catch {
        out[key] = '[Unreadable]';
      }
    }
    return out;
  } catch {
    return '[Unreadable]';
  } finally {
    seen.delete(value);
  }
}
