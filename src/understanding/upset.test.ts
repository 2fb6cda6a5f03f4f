import { describe, expect, it } from 'vitest';
import { sentimentNeedsPerson } from '../bot/policy.js';
import { soundsUpset } from './upset.js';

describe('upset or a problem report', () => {
  it('anger, curses, insults and shouting are upset', () => {
    for (const text of [
      'This is absolutely disgusting, worst service ever, I am furious!!!',
      'والله خدمة زفت وأسوأ تعامل، حسبي الله عليكم!!',
      'WHERE IS MY ORDER',
      'you people are useless',
      'حرام عليكم ثالث مره اكلمكم',
      'طفشت منكم',
      'this is a fucking joke',
    ])
      expect(soundsUpset(text), text).toBe(true);
  });
  it('a plain description of what went wrong is a problem report', () => {
    for (const text of [
      'الكرت حقي ما يشتغل في الدفع',
      'I requested a refund and never received it, what can I do?',
      'my card is not working when I try to use it',
      'طلبيتي متأخره صار لها اسبوع ومافيه اي تحديث',
      'the glass on the oven door was shattered when I opened the box',
      'hello, my parcel is late',
    ])
      expect(soundsUpset(text), text).toBe(false);
  });
  it('below the threshold, only an upset message or a very negative score hands off; a worsening trend still does', () => {
    expect(sentimentNeedsPerson([-0.7], -0.6, false)).toBe(false);
    expect(sentimentNeedsPerson([-0.7], -0.6, true)).toBe(true);
    expect(sentimentNeedsPerson([-0.95], -0.6, false)).toBe(true);
    expect(sentimentNeedsPerson([0.2, -0.1, -0.4], -0.6, false)).toBe(true);
  });
});
