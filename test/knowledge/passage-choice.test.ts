/**
 * The right passage (issue 18, item 3): the answer quotes the section that answers the question,
 * whole, under its heading (a list with its lead sentence, a table as text), and the article's
 * opening for a question about the whole topic. Handcrafted articles, Arabic and English, built
 * on the failures a user saw on the sample knowledge base.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAnswerer, quotePassage } from '../../src/bot/local.js';
import { passagesOf } from '../../src/knowledge/chunk.js';
import { announcesWhatFollows, sectionsOf } from '../../src/knowledge/sections.js';
import type { Lang } from '../../src/text/language.js';
import { testDeps } from '../helpers/backends.js';

const article = (id: string, lang: Lang, title: string, body: string) =>
  `---\nid: ${id}\ntitle: "${title}"\nlang: ${lang}\ntags: [test]\nstatus: published\n---\n${body}\n`;

const ARTICLES: Record<string, string> = {
  'en/hours.md': article(
    'hours-en',
    'en',
    'Store locations and opening hours',
    `We have two branches, in Riyadh and Jeddah.

## Regular opening hours
- Saturday to Thursday: 10:00 am – 11:00 pm
- Friday: 4:00 pm – 11:00 pm

## Ramadan hours
- Saturday to Thursday: 1:00 pm – 5:00 pm and 9:00 pm – 2:00 am
- Friday: 9:00 pm – 2:00 am

## Eid holidays
Opening hours for Eid are announced on the website three days in advance.`,
  ),
  'en/delivery.md': article(
    'delivery-en',
    'en',
    'Where do you deliver and how long does delivery take?',
    `We deliver to every city in Saudi Arabia. We do not ship outside the Kingdom.

## Delivery times
Times are counted in business days from the moment the order is confirmed:

| Area | Delivery time |
|---|---|
| Riyadh, Jeddah and Dammam | 1–2 business days |
| Other cities | 3–5 business days |

## On delivery day
The courier calls you before arriving and tries again the next business day if you are out.`,
  ),
  'en/promo.md': article(
    'promo-en',
    'en',
    'My promo code is not working',
    `Promo codes are entered in the Promo code field in your cart. If a code is rejected, the message under the field explains why. These are the most common reasons.

## Why a code may not work
- Expired: each code has an end date.
- Minimum spend not reached.
- Excluded items such as gift cards.

## Rules
Only one promo code per order.`,
  ),
  'en/returns.md': article(
    'returns-en',
    'en',
    'What is your returns policy?',
    `Most items can be returned within 15 days of delivery.

## Refund amount
You receive the price you paid. For change-of-mind returns collected by courier, a pickup fee of 19 SAR is deducted.

## Items that cannot be returned
- Opened earbuds and headphones.
- Gift cards.`,
  ),
  'ar/hours.md': article(
    'hours-ar',
    'ar',
    'فروعنا ومواعيد العمل',
    `لدينا فرعان في الرياض وجدة.

## مواعيد العمل المعتادة
- من السبت إلى الخميس: من 10:00 صباحًا إلى 11:00 مساءً
- الجمعة: من 4:00 عصرًا إلى 11:00 مساءً

## مواعيد العمل في رمضان
- من السبت إلى الخميس: من 1:00 ظهرًا إلى 5:00 عصرًا
- الجمعة: من 9:00 مساءً إلى 2:00 فجرًا`,
  ),
  'ar/promo.md': article(
    'promo-ar',
    'ar',
    'رمز الخصم لا يعمل',
    `يُدخل رمز الخصم في خانة رمز الخصم داخل السلة. وإذا رُفض الرمز تظهر رسالة توضح السبب، وهذه أكثر الأسباب شيوعًا.

## لماذا قد لا يعمل الرمز؟
- انتهت صلاحية الرمز.
- لم تبلغ قيمة الطلب الحد الأدنى.

## القواعد
رمز خصم واحد فقط لكل طلب.`,
  ),
  'ar/installation.md': article(
    'installation-ar',
    'ar',
    'خدمة تركيب المكيفات',
    `يركّب فريقنا المكيفات بعد التوصيل.

## الأسعار
| الخدمة | السعر | المدة |
|---|---|---|
| مكيف شباك | 99 ريالًا | ساعة |
| مكيف سبليت | 249 ريالًا | ساعتان |

## الحجز
احجز التركيب عند إتمام الطلب أو خلال 30 يومًا من التوصيل.`,
  ),
};

let deps: Awaited<ReturnType<typeof testDeps>>;
const dir = mkdtempSync(join(tmpdir(), 'sanad-passages-'));

beforeAll(async () => {
  for (const [file, text] of Object.entries(ARTICLES)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  deps = await testDeps();
  const report = await deps.kb.importFolder(dir);
  expect(report.failed).toEqual([]);
});
afterAll(async () => {
  await deps?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the bot would quote: the local answer over the retrieval, in the customer's language. */
async function quote(question: string, lang: Lang) {
  const retrieval = await (await deps.kb.retriever()).retrieve(question, { lang });
  const answer = await localAnswerer().answer({ question, lang, retrieval });
  const article = retrieval.articles.find((a) => a.articleId === answer.citations[0]?.articleId);
  const passage = article?.passages.find((p) => p.chunkId === answer.citations[0]?.chunkId);
  return { text: answer.text, article: article?.articleId, heading: passage?.heading };
}

describe('the passage an answer quotes', () => {
  it('Friday opening hours are the regular hours, not Ramadan’s, quoted whole under their heading', async () => {
    const q = await quote('what time do you open on friday?', 'en');
    expect(q).toMatchObject({ article: 'hours-en', heading: 'Regular opening hours' });
    expect(q.text).toMatch(/^\*\*Regular opening hours\*\*\n\n- Saturday to Thursday: 10:00 am/);
    expect(q.text).toContain('- Friday: 4:00 pm – 11:00 pm');
    expect(q.text).not.toMatch(/Ramadan|2:00 am/);
  });

  it('delivery to a city gets the delivery-times table as text, not "we deliver to every city"', async () => {
    const q = await quote('how long does delivery to Jeddah take?', 'en');
    expect(q.heading).toBe('Delivery times');
    expect(q.text).toContain('- Riyadh, Jeddah and Dammam: 1–2 business days');
    expect(q.text).not.toContain('|');
    expect(q.text).not.toContain('every city');
  });

  it('an opening that announces a list is quoted with the list it announces', async () => {
    const en = await quote("my promo code isn't working", 'en');
    expect(en.heading).toBe('Why a code may not work');
    expect(en.text).toMatch(/These are the most common reasons\.\n\n\*\*Why a code may not work\*\*\n\n- Expired/);
    expect(en.text).toContain('- Excluded items such as gift cards.');
    expect(en.text).not.toContain('one promo code per order');

    const ar = await quote('كود الخصم ما يشتغل', 'ar');
    expect(ar.heading).toBe('لماذا قد لا يعمل الرمز؟');
    expect(ar.text).toContain('وهذه أكثر الأسباب شيوعًا.');
    expect(ar.text).toContain('- لم تبلغ قيمة الطلب الحد الأدنى.');
  });

  it('a question about the whole topic gets the opening (the summary); a detail gets its section', async () => {
    const policy = await quote('what is your returns policy?', 'en');
    expect(policy).toMatchObject({ article: 'returns-en', heading: null });
    expect(policy.text).toBe('Most items can be returned within 15 days of delivery.');
    const earbuds = await quote('can I return earbuds after opening them?', 'en');
    expect(earbuds.heading).toBe('Items that cannot be returned');
  });

  it('Arabic: the section a detail names, not the whole article; a price table as lines of text', async () => {
    const ramadan = await quote('وش دوامكم في رمضان يوم الجمعة؟', 'ar');
    expect(ramadan).toMatchObject({ article: 'hours-ar', heading: 'مواعيد العمل في رمضان' });
    expect(ramadan.text).toContain('- الجمعة: من 9:00 مساءً إلى 2:00 فجرًا');
    expect(ramadan.text).not.toContain('المعتادة');
    const price = await quote('بكم تركيب المكيف السبليت؟', 'ar');
    expect(price.heading).toBe('الأسعار');
    expect(price.text).toContain('- مكيف سبليت — السعر: 249 ريالًا؛ المدة: ساعتان');
  });
});

describe('sections and quotes', () => {
  it('an article is its opening and each section whole, starting with its heading line', async () => {
    const body = '# Guide\n## Part A\nLead:\n\n- one\n- two\n\n## Part B\nText.\n\n```\n## not a heading\n```';
    expect(sectionsOf(body).map((s) => s.heading)).toEqual(['Guide', 'Part A', 'Part B']);
    expect(await passagesOf(body)).toEqual([
      '# Guide\n## Part A\nLead:\n\n- one\n- two',
      '## Part B\nText.\n\n```\n## not a heading\n```',
    ]);
    expect(await passagesOf('Just one paragraph.')).toEqual(['Just one paragraph.']);
  });

  it('a section too long to quote is cut between paragraphs, each piece under the heading, a list kept with its lead', async () => {
    const para = (n: number) => `${'word '.repeat(140).trim()} ${n}.`;
    const body = `## Long\n${para(1)}\n\n${para(2)}\n\nThe steps:\n\n- first\n- second\n\n${para(3)}`;
    const pieces = await passagesOf(body);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.startsWith('## Long\n')).toBe(true);
      expect(p.length).toBeLessThanOrEqual(1500);
    }
    expect(pieces.some((p) => p.includes('The steps:\n- first\n- second'))).toBe(true);
  });

  it('tables become lines; headings bold', () => {
    const text = quotePassage(
      '## Plans\n| | Tabby | Tamara |\n|---|---|---|\n| Payments | 4 | 3 |\n\nAfter the table.',
    );
    expect(text).toBe('**Plans**\n\n- Payments — Tabby: 4; Tamara: 3\n\nAfter the table.');
  });

  it('tells an opening that only leads into what follows', () => {
    expect(announcesWhatFollows('These are the most common reasons.')).toBe(true);
    expect(announcesWhatFollows('If something is missing, please check the following first.')).toBe(true);
    expect(announcesWhatFollows('You can pay with:')).toBe(true);
    expect(announcesWhatFollows('إذا لم تجد أحد المنتجات، فيُرجى التحقق مما يلي أولًا.')).toBe(true);
    expect(announcesWhatFollows('Most items can be returned within 15 days of delivery.')).toBe(false);
    expect(announcesWhatFollows('يمكنك إلغاء طلبك مجانًا ما دام لم يُشحن بعد.')).toBe(false);
  });
});
