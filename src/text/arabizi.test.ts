import { describe, expect, it } from 'vitest';
import { arabiziToArabic, arabiziWord } from './arabizi.js';
import { detectLanguage } from './language.js';
import { terms } from './tokenise.js';

describe('Arabizi', () => {
  it('digits and digraphs become letters; the article joins its word', () => {
    expect(arabiziToArabic('abi arja3 6alabi')).toBe('ابي ارجع طلبي');
    expect(arabiziToArabic('kam rusoom el tawseel')).toBe('كم رسوم التوصيل');
    expect(arabiziWord('shi7nti')).toBe('شحنتي');
    expect(arabiziWord('5alas')).toBe('خلس');
  });
  it('numbers stay numbers', () => {
    expect(arabiziToArabic('6alabi 200 riyal')).toContain('200');
  });
  it('reads as Arabic, and meets the words of an Arabic article', () => {
    for (const text of ['abi arja3 6alabi', 'kam rusoom el tawseel', 'wain shi7nti'])
      expect(detectLanguage(text).lang, text).toBe('ar');
    expect(terms(arabiziToArabic('kam rusoom el tawseel'))).toEqual(terms('كم رسوم التوصيل'));
  });
  it('English stays English', () => {
    for (const text of ['I want to order a card', 'what is 3G coverage', 'delivery to riyadh in 2 days'])
      expect(detectLanguage(text).lang, text).toBe('en');
  });
});
