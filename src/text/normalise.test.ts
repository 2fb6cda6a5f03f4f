import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';
import { normaliseArabic, normaliseForSearch } from './normalise.js';
import { stemArabic, terms, tokenise } from './tokenise.js';

describe('Arabic normalisation', () => {
  it('folds the spelling variants customers type interchangeably', () => {
    expect(normaliseArabic('أإآٱ')).toBe('اااا');
    expect(normaliseArabic('مستشفى')).toBe('مستشفي');
    expect(normaliseArabic('فاتورة')).toBe('فاتوره');
    expect(normaliseArabic('مسؤول')).toBe('مسوول');
    expect(normaliseArabic('شكــــراً')).toBe('شكرا');
    expect(normaliseArabic('مُحَمَّدٌ')).toBe('محمد');
    expect(normaliseArabic('٠٥٥١٢٣٤٥٦٧ و ۱۲۳')).toBe('0551234567 و 123');
    // Presentation forms (as pasted from PDFs) become ordinary letters.
    expect(normaliseArabic('ﻻ ﺷﻜﺮا')).toBe('لا شكرا');
  });

  it('makes different spellings of one question match', () => {
    const a = terms('متى يصل المبلغ المُسترَد إلى بطاقتي؟');
    const b = terms('متي يوصل المبلغ المسترد الى بطاقتى');
    expect(a.filter((t) => b.includes(t)).length).toBeGreaterThanOrEqual(3);
  });

  it('strips clitics and endings with the light stemmer', () => {
    expect(stemArabic('والطلبات')).toBe('طلب');
    expect(stemArabic('شحنتي')).toBe('شحن');
    expect(stemArabic('بالبطاقه')).toBe('بطاق');
  });

  it('folds dialect words to the MSA term an article uses, and drops dialect function words', () => {
    // Gulf "my card is broken, I want my money" against MSA "the card is faulty ... funds".
    expect(terms('الكرت حقي خربان وابي فلوسي')).toEqual(terms('البطاقة معطل نقود'));
    expect(terms('وين الطلبية تبعتي لسا ما وصلت؟')).toEqual(terms('طلب وصلت'));
    // A word that is a synonym only sometimes is left alone.
    expect(terms('خصم')).not.toEqual(terms('عمولة'));
  });

  it('tokenises mixed Arabic and Latin text', () => {
    expect(tokenise('أبي أرجع iPhone 15، ممكن؟')).toEqual(['ابي', 'ارجع', 'iphone', '15', 'ممكن']);
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = normaliseArabic(s);
        expect(normaliseArabic(once)).toBe(once);
        const search = normaliseForSearch(s);
        expect(normaliseForSearch(search)).toBe(search);
      }),
      { numRuns: 2000 },
    );
  });

  it('never touches text without Arabic-script characters', () => {
    const latin = fc.string({ unit: fc.constantFrom(...'abcXYZ 0123 .,!?éüß-_@#\n\t'.split('')) });
    fc.assert(
      fc.property(latin, (s) => {
        expect(normaliseArabic(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never lengthens Arabic text', () => {
    const arabic = fc.string({ unit: fc.integer({ min: 0x0600, max: 0x06ff }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(arabic, (s) => {
        expect(normaliseArabic(s).length).toBeLessThanOrEqual(s.length);
        expect(() => terms(s)).not.toThrow();
        expect(() => detectLanguage(s)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(() => terms(s)).not.toThrow();
        expect(() => detectLanguage(s)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('language detection', () => {
  it('detects Arabic, English and Arabizi', () => {
    expect(detectLanguage('وين طلبي؟').lang).toBe('ar');
    expect(detectLanguage('where is my order?').lang).toBe('en');
    expect(detectLanguage('ana abi a3rf wain tlbi')).toEqual({ lang: 'ar', arabizi: true });
    expect(detectLanguage('my order SN-12345678 لم يصل').lang).toBe('ar');
    expect(detectLanguage('I paid 300 SAR by mada').lang).toBe('en');
  });
});

describe('Gulf verb forms', () => {
  it('brings present, past and future verb forms and the verbal noun to the same term', () => {
    for (const [a, b] of [
      ['يحول', 'تحويل'],
      ['حولت', 'التحويلات'],
      ['بيحول', 'لتحويل'],
      ['يسحب', 'سحبت'],
      ['ترجع', 'ارجاع'],
      ['تنشحن', 'شحن'],
    ] as const) {
      expect(terms(a), `${a} / ${b}`).toEqual(terms(b));
    }
  });

  it('leaves a dialect function word out of the search terms', () => {
    expect(terms('مدري وين شحنتي للحين')).toEqual(terms('شحنتي'));
  });
});
