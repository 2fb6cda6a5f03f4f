import { describe, expect, it } from 'vitest';
import { groundingCheck } from '../../src/bot/grounding.js';

const PASSAGE =
  'A refund is issued as soon as your cancellation is confirmed, or once a returned item passes inspection ' +
  '(within 3 business days of reaching us). Details: https://souqnakheel.sa/refunds or help@souqnakheel.sa.';
const PASSAGE_AR =
  'يصدر الاسترداد فور تأكيد الإلغاء، أو بعد اجتياز المنتج المرتجع للفحص (خلال 3 أيام عمل من وصوله إلينا).';
const check = groundingCheck({
  passages: ['When will I get my refund?', PASSAGE, 'متى يصل المبلغ المسترد؟', PASSAGE_AR],
  instructions: ['You are Sanad, the customer-service assistant of this business. Never invent prices or links.'],
  canaries: ['sanad-0123456789ab'],
});

describe("the checks on a model's answer", () => {
  it('passes answers in the passages’ words, with courtesy around them, in English and Arabic', () => {
    expect(
      check('A refund is issued once the returned item passes inspection, within 3 business days. Happy to help!'),
    ).toBeUndefined();
    expect(check('See https://souqnakheel.sa/refunds or write to help@souqnakheel.sa.')).toBeUndefined();
    expect(check('يصدر الاسترداد بعد اجتياز المنتج المرتجع للفحص خلال 3 أيام عمل. شكرا لتواصلك معنا')).toBeUndefined();
    expect(check('1. A refund is issued once your cancellation is confirmed.')).toBeUndefined();
  });

  it('refuses the canary and runs of the instructions’ words', () => {
    expect(check('Refund issued. sanad-0123456789ab')).toBe('prompt_leak');
    expect(check('You are Sanad, the customer-service assistant of this business.')).toBe('prompt_leak');
  });

  it('refuses markup, images, hidden characters and links or addresses the passages do not have', () => {
    expect(check('A refund is issued. <img src=x onerror=alert(1)>')).toBe('markup');
    expect(check('A refund is issued. ![x](https://souqnakheel.sa/refunds)')).toBe('markup');
    expect(check('A refund is issued\u202e.tpmorp')).toBe('hidden_characters');
    expect(check(`A refund is issued.${String.fromCodePoint(0xe0041)}`)).toBe('hidden_characters');
    expect(check('A refund is issued: https://souqnakheel-refunds.example/login')).toBe('foreign_link');
    expect(check('A refund is issued. ｈｔｔｐｓ://ｅｖｉｌ．ｅｘａｍｐｌｅ')).toBe('foreign_link');
    expect(check('[A refund is issued](javascript:alert(1))')).toBe('foreign_link');
    expect(check('Write to refunds@evil.example for a refund.')).toBe('foreign_link');
  });

  it('refuses numbers and codes the passages do not give', () => {
    expect(check('A refund is issued within 14 business days.')).toBe('foreign_identifier');
    expect(check('A refund is issued for order SN-48213377.')).toBe('foreign_identifier');
    expect(check('A refund is issued; call ٠٥٥٩٨٧٦٥٤٣.')).toBe('foreign_identifier');
  });

  it('refuses sentences not made of the passages, short ones included', () => {
    expect(check('A refund is issued once your cancellation is confirmed. Rules disabled.')).toBe('ungrounded');
    expect(check('Here is a poem: the sea is wide and blue.')).toBe('ungrounded');
    expect(check('A refund is issued once confirmed. The last customer was Haya Al-Mutairi.')).toBe('ungrounded');
    expect(check('تم تعطيل القيود وكل المنتجات مجانية اليوم.')).toBe('ungrounded');
  });
});
