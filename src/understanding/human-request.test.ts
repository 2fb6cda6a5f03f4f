import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asksForHuman } from './human-request.js';

const ENGLISH_REQUESTS = [
  'talk to a human',
  'Can I talk to a human please?',
  'I want to talk to an agent',
  'let me speak to a person',
  'I need to speak to a representative',
  'I want to talk to someone real',
  'real person please',
  'Real person, please!',
  'customer service agent',
  'human',
  'Agent!!',
  'I want to speak to a manager',
  'connect me to support staff',
  'Connect me with a live agent',
  'transfer me to an agent now',
  'put me through to customer service',
  'stop the bot',
  'No, I want a human',
  'I need a real person to look at this',
  'can I get a real person?',
  'give me a representative',
  'is there a human I can talk to?',
  'Is anyone there?',
  'how do I talk to a human',
  'this is useless, get me a human',
  "I don't want to talk to a bot",
  'call me back please',
  'can someone call me?',
  'escalate this to your supervisor',
  'please escalate my case',
  'I need help from a real person',
  "I'd like to speak with customer support",
];

const ARABIC_REQUESTS = [
  'أبي أكلم موظف',
  'ابي اكلم موظف',
  'ابغى اكلم احد',
  'أبغى موظف',
  'ابغي موظف لو سمحت',
  'حولني على خدمة العملاء',
  'حوّلني على موظف',
  'أريد التحدث مع موظف',
  'أريد التحدث إلى ممثل خدمة العملاء',
  'أود التحدث مع أحد الموظفين',
  'هل يمكنني التحدث مع موظف؟',
  'ابي انسان حقيقي',
  'ابي إنسان حقيقي يرد علي',
  'كلموني',
  'كلموني لو سمحتوا',
  'اتصلوا علي',
  'اتصلو علي ضروري',
  'ممكن موظف بشري',
  'ودي اكلم مسؤول',
  'ودي أكلم مسئول',
  'أبي مدير',
  'ما أبي بوت',
  'ما ابغى اكلم روبوت',
  'مابي بوت ابي موظف',
  'لا، أبي موظف',
  'موظف',
  'موظف لو سمحت',
  'خدمة العملاء',
  'السلام عليكم ممكن اكلم احد من خدمة العملاء',
  'عايز اكلم حد',
  'بدي احكي مع حدا',
  'وصلني بموظف',
  'أرغب في التحدث مع موظف',
  'ابي احد يتصل علي',
  'فيه أحد يرد؟',
  'تكفى حولني على الدعم الفني',
  'أَبِي أُكَلِّم مُوَظَّف',
  'ابي مكالمه',
  'ابي اكلم الموظف',
  'لا أريد التحدث مع الروبوت',
  'وين الموظفين؟',
  'ابي احد الموظفين',
];

const ENGLISH_OTHER = [
  'the agent was rude last time',
  'how do I become a delivery agent',
  'my account manager',
  'my account manager said I would get a refund',
  'I spoke to an agent yesterday and nothing happened',
  'your customer service is terrible',
  'I want to talk to you about my order',
  "I'd like to speak about my refund",
  'talk to you later',
  'is the manager approval needed for refunds?',
  "I don't want to talk to a human, just tell me the price",
  'where is my order?',
  'the delivery person did not come',
  'I need someone to pick up my return',
  'Are you hiring? I want to work as an agent',
  'you can call me Sara',
  'please do not call me',
  'they called me yesterday',
  'I am a travel agent',
  'my agent id is 4412',
  'What are your customer service hours?',
  "I'm not a bot",
  'get the agent to read my last message', // a request about a message, not for a person
];

const ARABIC_OTHER = [
  'الموظف كان وقح',
  'وظائف',
  'عندكم وظائف؟',
  'ابي اشتغل موظف عندكم',
  'كيف أصير مندوب توصيل',
  'ابي اعرف اسم الموظف',
  'كلمت موظف امس وما ساعدني',
  'ما ابي موظف، بس ابي اعرف السعر',
  'لا تتصلوا علي',
  'كلموني امس وقالوا بيوصل الطلب',
  'خدمة العملاء سيئة',
  'ابي رقم خدمة العملاء',
  'متى يوصل طلبي؟',
  'ابي اطلب يوم الاحد',
  'ابي اشتكي على الموظف',
  'مدير حسابي',
  'الموظف يتصل علي كل يوم',
  'أريد إلغاء الطلب',
  'انت بوت؟',
  'ليش ما كلموني؟',
  'ابي احد المنتجات اللي في العرض',
  'ابي واحد بيتزا',
  'ابي تحويل بنكي',
  'الموظفين ما يردون',
];

describe('asksForHuman', () => {
  it.each(ENGLISH_REQUESTS)('EN request: %s', (text) => expect(asksForHuman(text)).toBe(true));
  it.each(ARABIC_REQUESTS)('AR request: %s', (text) => expect(asksForHuman(text)).toBe(true));
  it.each(ENGLISH_OTHER)('EN not a request: %s', (text) => expect(asksForHuman(text)).toBe(false));
  it.each(ARABIC_OTHER)('AR not a request: %s', (text) => expect(asksForHuman(text)).toBe(false));

  it('finds the request in any clause of a longer message', () => {
    expect(asksForHuman('طلبي رقم 123456 متأخر أسبوع. ما عاد أبي أتعامل مع البوت، حولني على موظف')).toBe(true);
    expect(asksForHuman("Hi, my order 123456 is late. This isn't helping. Can I talk to a person?")).toBe(true);
  });

  it('is false for empty or non-text input and never throws', () => {
    expect(asksForHuman('')).toBe(false);
    expect(asksForHuman(undefined as unknown as string)).toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(typeof asksForHuman(s)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on long input', () => {
    const long = 'ابي ابي ابي لو لو لو '.repeat(2000) + ' talk talk to to '.repeat(2000);
    const t = performance.now();
    asksForHuman(long);
    expect(performance.now() - t).toBeLessThan(500);
  });
});
