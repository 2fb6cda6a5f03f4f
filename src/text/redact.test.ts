import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDigits, ibanValid, luhnValid, redact, redactDeep, saudiIdValid } from './redact.js';

/** Append the Luhn check digit to `body`. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
const toArabicIndic = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const toPersian = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d)));

const CARD = '4111111111111111'; // Visa test number
const IBAN = 'SA0380000000608010167519'; // the Saudi IBAN from the ISO 13616 registry example
const CITIZEN_ID = withLuhn('101234567'); // 10 digits starting with 1, valid check digit
const IQAMA = withLuhn('212345678');

describe('check digits', () => {
  it('Luhn, mod-97 and the Saudi ID check', () => {
    expect(luhnValid(CARD)).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid(IBAN)).toBe(true);
    expect(ibanValid('SA0380000000608010167518')).toBe(false);
    expect(saudiIdValid(CITIZEN_ID)).toBe(true);
    expect(saudiIdValid(IQAMA)).toBe(true);
    expect(saudiIdValid('3' + CITIZEN_ID.slice(1))).toBe(false);
  });

  it('folds Arabic-Indic and Persian digits without changing length', () => {
    expect(foldDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
  });
});

describe('phone numbers', () => {
  it.each([
    ['جوالي 0551234567 لو سمحت', 'جوالي [PHONE] لو سمحت'],
    ['رقمي ٠٥٥١٢٣٤٥٦٧ تواصلوا معي', 'رقمي [PHONE] تواصلوا معي'],
    ['رقمي ۰۵۵۱۲۳۴۵۶۷', 'رقمي [PHONE]'],
    ['اتصلوا على ٠٥٥ ١٢٣ ٤٥٦٧', 'اتصلوا على [PHONE]'],
    ['call me on 055-123-4567 please', 'call me on [PHONE] please'],
    ['my number is 551234567', 'my number is [PHONE]'],
    ['my number is +966551234567.', 'my number is [PHONE].'],
    ['reach me at +966 55 123 4567', 'reach me at [PHONE]'],
    ['00966551234567 هذا رقمي', '[PHONE] هذا رقمي'],
    ['966 55 123 4567', '[PHONE]'],
    ['+٩٦٦ ٥٥ ١٢٣ ٤٥٦٧', '[PHONE]'],
    ['(055) 123 4567', '[PHONE]'],
    ['رقم البيت 0112345678', 'رقم البيت [PHONE]'],
    ['UAE: +971 50 123 4567', 'UAE: [PHONE]'],
    ['\u200E+966\u200E 55 123 4567', '\u200E[PHONE]'],
    ['0551234567 0559876543', '[PHONE] [PHONE]'],
    ['0551234567/0559876543', '[PHONE]/[PHONE]'],
  ])('%s', (input, expected) => {
    const r = redact(input);
    expect(r.text).toBe(expected);
    expect(r.found).toEqual(['phone']);
  });
});

describe('national ID / Iqama', () => {
  it('redacts a checksum-valid ID in Arabic and English sentences', () => {
    expect(redact(`رقم هويتي ${CITIZEN_ID} ولم يصلني الطلب`)).toEqual({
      text: 'رقم هويتي [NATIONAL_ID] ولم يصلني الطلب',
      found: ['national_id'],
    });
    expect(redact(`My iqama is ${IQAMA}, please update it`).text).toBe('My iqama is [NATIONAL_ID], please update it');
    expect(redact(`سجلي ${toArabicIndic(IQAMA)}`).text).toBe('سجلي [NATIONAL_ID]');
    expect(redact(`id: ${CITIZEN_ID.slice(0, 4)} ${CITIZEN_ID.slice(4)}`).text).toBe('id: [NATIONAL_ID]');
  });

  it('redacts a checksum-invalid 10-digit number only when it is introduced as an ID', () => {
    const typo = CITIZEN_ID.slice(0, 9) + ((Number(CITIZEN_ID[9]) + 1) % 10);
    expect(saudiIdValid(typo)).toBe(false);
    expect(redact(`رقم الهوية: ${typo}`).text).toBe('رقم الهوية: [NATIONAL_ID]');
    expect(redact(`الإقامة ${typo}`).text).toBe('الإقامة [NATIONAL_ID]');
    expect(redact(`reference ${typo}`).text).toBe(`reference ${typo}`);
  });

  it('leaves a 10-digit order number alone, even when it passes the check', () => {
    expect(redact(`order ${CITIZEN_ID}`).text).toBe(`order ${CITIZEN_ID}`);
    expect(redact(`رقم الطلب ${CITIZEN_ID}`).text).toBe(`رقم الطلب ${CITIZEN_ID}`);
    expect(redact(`order id: ${CITIZEN_ID}`).text).toBe(`order id: ${CITIZEN_ID}`);
  });
});

describe('IBAN', () => {
  it.each([
    [`حولوا المبلغ على الآيبان ${IBAN} لو سمحتوا`, 'حولوا المبلغ على الآيبان [IBAN] لو سمحتوا'],
    ['Refund to SA03 8000 0000 6080 1016 7519 please', 'Refund to [IBAN] please'],
    ['iban: sa03-8000-0000-6080-1016-7519', 'iban: [IBAN]'],
    [`الايبان SA${toArabicIndic(IBAN.slice(2))}`, 'الايبان [IBAN]'],
    ['UAE account AE07 0331 2345 6789 0123 456', 'UAE account [IBAN]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toEqual({ text: expected, found: ['iban'] });
  });

  it('does not call a mod-97-invalid string an IBAN', () => {
    expect(redact('SA0380000000608010167518').found).not.toContain('iban');
  });
});

describe('payment cards', () => {
  it.each([
    [`بطاقتي ${CARD} انخصم منها مرتين`, 'بطاقتي [CARD] انخصم منها مرتين'],
    ['charged twice on 4111 1111 1111 1111 yesterday', 'charged twice on [CARD] yesterday'],
    ['card 4111-1111-1111-1111', 'card [CARD]'],
    [`البطاقة ${toArabicIndic('5555 5555 5555 4444')}`, 'البطاقة [CARD]'],
    [`Amex ${'3782 822463 10005'}`, 'Amex [CARD]'],
    [`visa ${toPersian(withLuhn('411111111111'))}`, 'visa [CARD]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toEqual({ text: expected, found: ['card'] });
  });

  it('does not redact a Luhn-invalid card number', () => {
    for (const s of ['card 4111 1111 1111 1112', 'بطاقة 4111111111111112', '5555-5555-5555-4445']) {
      expect(redact(s)).toEqual({ text: s, found: [] });
    }
  });
});

describe('e-mail', () => {
  it.each([
    ['ايميلي ahmad.ali+orders@example.com.sa شكرا', 'ايميلي [EMAIL] شكرا'],
    ['Email me at Sara_99@Mail.Example.org.', 'Email me at [EMAIL].'],
    ['بريدي: أحمد@مثال.السعودية', 'بريدي: [EMAIL]'],
    ['(reem@example.com)', '([EMAIL])'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toEqual({ text: expected, found: ['email'] });
  });
});

describe('what is not personal data', () => {
  it.each([
    'order 123456',
    'where is my order #A-10293?',
    'طلبي رقم ١٢٣٤٥٦٧ متأخر',
    'رقم الطلب 87654321',
    'Order #12345678 shipped',
    'tracking SMSA290123456789',
    'INV-0551234567',
    'تم تحويل 1,500 ريال في 2024-05-01 الساعة 10:30',
    'version 1.2.3, ip 192.168.100.200',
    'I bought 5 items for 123456 halalas',
    'the code is 0000 0000 0000 0000',
    'price 5 12345678',
    '',
    'السلام عليكم',
  ])('%s', (input) => {
    expect(redact(input)).toEqual({ text: input, found: [] });
  });
});

describe('mixed', () => {
  it('reports each kind once, in order of appearance', () => {
    const r = redact(`أنا ${CITIZEN_ID}، جوالي 0551234567 وإيميلي a@b.co وجوال أخي 0559876543 والبطاقة ${CARD}`);
    expect(r.text).toBe('أنا [NATIONAL_ID]، جوالي [PHONE] وإيميلي [EMAIL] وجوال أخي [PHONE] والبطاقة [CARD]');
    expect(r.found).toEqual(['national_id', 'phone', 'email', 'card']);
  });

  it('never hands back input it could not read', () => {
    expect(redact(undefined as unknown as string)).toEqual({ text: '', found: [] });
    expect(redact(551234567 as unknown as string).text).toBe('[PHONE]');
  });
});

describe('redactDeep', () => {
  it('redacts strings inside objects, arrays, maps, sets and errors; keeps other values', () => {
    const when = new Date(0);
    const input = {
      msg: 'call 0551234567',
      n: 551234567,
      ok: true,
      nested: { list: ['a@b.co', 1, null, undefined], when },
      map: new Map([['k', 'card 4111111111111111']]),
      set: new Set(['0551234567']),
      err: new Error('user 0551234567 failed'),
    };
    const out = redactDeep(input) as Record<string, unknown>;
    expect(out.msg).toBe('call [PHONE]');
    expect(out.n).toBe(551234567);
    expect(out.ok).toBe(true);
    expect(out.nested).toEqual({ list: ['[EMAIL]', 1, null, undefined], when });
    expect((out.map as Map<string, string>).get('k')).toBe('card [CARD]');
    expect([...(out.set as Set<string>)]).toEqual(['[PHONE]']);
    expect((out.err as { message: string }).message).toBe('user [PHONE] failed');
    expect(String((out.err as { stack: string }).stack)).not.toContain('0551234567');
    expect(input.msg).toBe('call 0551234567'); // input untouched
  });

  it('survives cycles, shared references, throwing getters and deep nesting', () => {
    const shared = { p: '0551234567' };
    const a: Record<string, unknown> = { shared, again: shared };
    a.self = a;
    Object.defineProperty(a, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const out = redactDeep(a) as Record<string, unknown>;
    expect(out.self).toBe('[Circular]');
    expect(out.shared).toEqual({ p: '[PHONE]' });
    expect(out.again).toEqual({ p: '[PHONE]' });
    expect(out.bad).toBe('[Unreadable]');
    let deep: unknown = 'a@b.co';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => redactDeep(deep)).not.toThrow();
    expect(redactDeep('x@y.io')).toBe('[EMAIL]');
    expect(redactDeep(42)).toBe(42);
  });
});

// ---- properties -------------------------------------------------------------------------

const SEPARATORS = [' ', '-', '', '', '', ' ', '\u00A0', '.'];
const digitScript = fc.constantFrom<(s: string) => string>((s) => s, toArabicIndic, toPersian);

/** Lay `digits` out in groups of the given sizes with one separator between groups. */
function layout(digits: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + n));
    at += n;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(sep);
}

/** A Saudi mobile number as customers type it, with its 9-digit subscriber part. */
const saudiMobile = fc
  .tuple(
    fc.stringMatching(/^[0-9]{8}$/),
    fc.constantFrom(['', true], ['', false], ['+966', false], ['00966', false], ['966', false], ['+966 ', true]),
    fc.constantFrom(...SEPARATORS),
    fc.constantFrom([3, 3, 4], [2, 3, 4], [4, 3, 3], [3, 7], [10], [2, 4, 4]),
    digitScript,
  )
  .map(([rest, [lead, zero], sep, sizes, script]) => {
    const core = `5${rest}`;
    const body = lead + (lead && !lead.endsWith(' ') ? sep : '') + layout(zero ? `0${core}` : core, [...sizes], sep);
    return { text: script(body), core };
  });

/** A Luhn-valid card number laid out in fours or unbroken. */
const cardNumber = fc
  .tuple(
    fc.constantFrom('4', '51', '55', '37', '6011'),
    fc.stringMatching(/^[0-9]{14}$/),
    fc.constantFrom(16, 15, 13, 19),
    fc.constantFrom(' ', '-', ''),
    digitScript,
  )
  .map(([iin, more, length, sep, script]) => {
    const digits = withLuhn((iin + more + '0000').slice(0, length - 1));
    const sizes = sep === '' ? [length] : Array.from({ length: Math.ceil(length / 4) }, () => 4);
    return { text: script(layout(digits, sizes, sep)), digits };
  })
  .filter(({ digits }) => !/^(\d)\1*$/.test(digits));

const noise = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        ' ',
        '-',
        '+',
        '(',
        ')',
        '.',
        '@',
        '#',
        'SA',
        'sa',
        'A',
        'order',
        'طلب',
        'هوية',
        'رقم',
        '٠٥',
        '05',
        '966',
        '00',
        '5',
        '4111',
        '1111',
        '٤',
        '\u200F',
        'a@b.co',
        '[PHONE]',
        '[CARD]',
        '1234567890',
        '0551234567',
        IBAN,
        CARD,
        CITIZEN_ID,
        'x.y@z.com.',
        '  ',
        'ـ',
      ),
      fc.stringMatching(/^[0-9٠-٩ -]{1,12}$/),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const SEP_RE = /[ \t\u00A0\u1680\u2000-\u200F\u2010-\u2015\u202A-\u202F\u205F\u2066-\u2069\u3000\u061C\u2212\-.()+]/g;
/** Digits left in `text` once separators between them are ignored. */
const digitRuns = (text: string): string[] => foldDigits(text).replace(SEP_RE, '').match(/\d+/g) ?? [];

describe('properties', () => {
  it('never throws and always returns a string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), noise), (s) => {
        const r = redact(s);
        expect(typeof r.text).toBe('string');
        expect(Array.isArray(r.found)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), noise), (s) => {
        const once = redact(s).text;
        expect(redact(once).text).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves no valid phone or card number behind, whatever surrounds it', () => {
    fc.assert(
      fc.property(noise, fc.oneof(saudiMobile, cardNumber), noise, (before, pii, after) => {
        const out = redact(`${before} ${pii.text} ${after}`).text;
        const secret = 'core' in pii ? pii.core : pii.digits;
        for (const run of digitRuns(out)) {
          // The secret may only survive if it was already in the surrounding noise.
          if (run.includes(secret)) expect(digitRuns(`${before} ${after}`).join(' ')).toContain(secret);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
