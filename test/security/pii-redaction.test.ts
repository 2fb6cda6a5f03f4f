import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDigits, luhnValid, redact } from '../../src/text/redact.js';
import { capturedLogger } from '../helpers/log-capture.js';

/**
 * Generated personal data inside Arabic and English sentences, in Latin or Arabic-Indic digits
 * with the separators people type, must never survive redaction, nor reach a log line.
 * Prints: cases, escapes.
 */

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));

function luhnComplete(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

const INDIC = '٠١٢٣٤٥٦٧٨٩';
const script = fc.constantFrom('latin', 'indic');
const inScript = (s: string, which: string) =>
  which === 'indic' ? s.replace(/\d/g, (d) => INDIC[Number(d)] as string) : s;
const grouped = (s: string, sizes: number[], sep: string) => {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(s.slice(at, at + n));
    at += n;
  }
  if (at < s.length) out.push(s.slice(at));
  return out.filter(Boolean).join(sep);
};
const sep = fc.constantFrom(' ', '-', '', '\u00A0');

interface Pii {
  kind: string;
  written: string;
  /** The digits (or address) that must not survive. */
  core: string;
}

const mobile: fc.Arbitrary<Pii> = fc
  .tuple(digits(8), fc.constantFrom('0', '+966', '00966', '966', ''), sep, script)
  .map(([rest, prefix, s, sc]) => {
    // As Saudis write them: 05X XXX XXXX, +966 5X XXX XXXX, 5XXXXXXXX.
    const m = `5${rest}`;
    const written =
      prefix === '0' ? grouped(`0${m}`, [3, 3, 4], s) : `${prefix}${prefix ? s : ''}${grouped(m, [2, 3, 4], s)}`;
    return { kind: 'mobile', written: inScript(written, sc), core: rest };
  });

const nationalId: fc.Arbitrary<Pii> = fc
  .tuple(fc.constantFrom('1', '2'), digits(8), fc.boolean(), script)
  .map(([first, body, valid, sc]) => {
    const good = luhnComplete(first + body);
    const id = valid ? good : good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
    return { kind: valid ? 'national_id' : 'national_id_bad_checksum', written: inScript(id, sc), core: id };
  });

function saIban(bank: string, account: string): string {
  const bban = bank + account;
  for (let check = 2; check <= 98; check++) {
    const c = String(check).padStart(2, '0');
    const moved = `${bban}2810${c}`; // S=28, A=10
    let rem = 0;
    for (const ch of moved) rem = (rem * 10 + Number(ch)) % 97;
    if (rem === 1) return `SA${c}${bban}`;
  }
  throw new Error('unreachable');
}
const iban: fc.Arbitrary<Pii> = fc.tuple(digits(2), digits(18), fc.boolean()).map(([bank, account, spaced]) => {
  const value = saIban(bank, account);
  return { kind: 'iban', written: spaced ? grouped(value, [4, 4, 4, 4, 4, 4], ' ') : value, core: value.slice(4) };
});

const card: fc.Arbitrary<Pii> = fc
  .tuple(fc.constantFrom('4', '51', '52', '53', '54', '55'), digits(14), sep, script)
  .map(([lead, body, s, sc]) => {
    const number = luhnComplete((lead + body).slice(0, 15));
    return { kind: 'card', written: inScript(grouped(number, [4, 4, 4, 4], s), sc), core: number };
  });

const email: fc.Arbitrary<Pii> = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._]{1,12}[a-z0-9]$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{1,10}[a-z]$/),
    fc.constantFrom('com', 'sa', 'com.sa', 'net', 'org'),
  )
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain, tld]) => {
    const value = `${local}@${domain}.${tld}`;
    return { kind: 'email', written: value, core: value };
  });

const ID_PREFIXES = [
  'وهويتي',
  'رقم هويتي',
  'هويتي رقمها',
  'رقم الإقامة',
  'اقامتي',
  'my iqama is',
  'national ID:',
  'ID number',
];
const OTHER_PREFIXES = [
  'رقمي',
  'جوالي',
  'تواصل معي على',
  'بطاقتي',
  'حسابي',
  'ايميلي',
  'call me on',
  'my card is',
  'email:',
  '',
];
const SUFFIXES = ['', ' شكرا', ' لو سمحت', '، ساعدوني', ' please help', '.', '؟'];

const sentence = fc
  .tuple(
    fc.oneof(mobile, nationalId, iban, card, email),
    fc.constantFrom(...OTHER_PREFIXES),
    fc.constantFrom(...ID_PREFIXES),
    fc.constantFrom(...SUFFIXES),
    fc.constantFrom('السلام عليكم، ', 'Hi, ', 'ابي استرجع المبلغ ', ''),
  )
  .map(([pii, other, idPrefix, suffix, opening]) => {
    // An ID whose checksum is wrong is personal data only when the words say so.
    const prefix = pii.kind.startsWith('national_id') ? idPrefix : other;
    return { pii, text: `${opening}${prefix} ${pii.written}${suffix}`.trim() };
  });

const escaped = (output: string, pii: Pii) =>
  pii.kind === 'email' ? output.includes(pii.core) : foldDigits(output).replace(/\D/g, '').includes(pii.core);

describe('personal data never survives redaction (generated)', () => {
  it('in sentences and in log lines', () => {
    const cases = fc.sample(sentence, { numRuns: 1000, seed: 19 });
    const logs = capturedLogger('info');
    const escapes: string[] = [];
    for (const { pii, text } of cases) {
      const out = redact(text).text;
      if (escaped(out, pii)) escapes.push(`${pii.kind}: ${text} → ${out}`);
      logs.log.info({ text, nested: { note: text } }, 'customer said');
    }
    // One line per case, in order: each line is searched for its own case's data.
    const lines = logs.text().trim().split('\n');
    const logEscapes = cases.filter(({ pii }, i) => {
      const { text, nested } = JSON.parse(lines[i] as string) as { text: string; nested: { note: string } };
      return escaped(text, pii) || escaped(nested.note, pii);
    }).length;
    console.log(`[security] personal data: ${cases.length} cases, ${escapes.length} escapes, ${logEscapes} in logs`);
    expect(escapes.slice(0, 10)).toEqual([]);
    expect(logEscapes).toBe(0);
  });

  it('the audit case: «وهويتي 1012345678» with an invalid checksum', () => {
    expect(redact('وهويتي 1012345678').text).toBe('وهويتي [NATIONAL_ID]');
  });

  it('redaction is stable under fast-check shrinking too', () => {
    fc.assert(
      fc.property(sentence, ({ pii, text }) => !escaped(redact(text).text, pii)),
      { numRuns: 300 },
    );
  });
});
