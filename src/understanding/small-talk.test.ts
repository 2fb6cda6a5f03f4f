import { describe, expect, it } from 'vitest';
import { smallTalk, smallTalkReply } from './small-talk.js';

describe('small talk', () => {
  it('recognises bare greetings, thanks and goodbyes in Arabic and English', () => {
    for (const t of ['السلام عليكم', 'مرحبا', 'هلا والله', 'صباح الخير', 'hi', 'Hello there!', 'good morning']) {
      expect(smallTalk(t), t).toBe('greeting');
    }
    for (const t of [
      'شكرا جزيلا',
      'مشكورين ما قصرتوا',
      'يعطيك العافية',
      'thanks a lot',
      'thank you so much',
      'ok',
      'تمام',
    ]) {
      expect(smallTalk(t), t).toBe('thanks');
    }
    for (const t of ['مع السلامة', 'في أمان الله', 'bye']) expect(smallTalk(t), t).toBe('goodbye');
  });

  it('leaves anything with a question in it to the bot', () => {
    for (const t of [
      'السلام عليكم وين طلبي',
      'hi, where is my order?',
      'thanks but the refund never came',
      'good',
      'see you later',
    ]) {
      expect(smallTalk(t), t).toBeUndefined();
    }
  });

  it('answers in the customer language, returning the salam', () => {
    expect(smallTalkReply('greeting', 'ar', 'السلام عليكم')).toMatch(/^وعليكم السلام/);
    expect(smallTalkReply('thanks', 'en', 'thanks')).toMatch(/welcome/);
  });
});
