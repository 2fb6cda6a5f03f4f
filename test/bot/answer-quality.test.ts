/**
 * Answer quality on customers' words. "Did you mean …?" before a hand-off: a middling question gets up to three article titles in
 * the customer's language and "talk to a person"; a choice (number, ordinal, title, or a
 * structured press) answers from that article; "none" or a second miss hands off with
 * clarification_failed. Arabizi is read in Arabic letters and answered in Arabic; a short
 * follow-up is read with the previous question; a plain problem report is not "negative sentiment".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clarifyReply, resolveChoice } from '../../src/bot/clarify.js';
import { answerThreshold } from '../../src/bot/confidence.js';
import type { Decision } from '../../src/bot/index.js';
import type { Inbox } from '../../src/inbox/index.js';
import { testDeps } from '../helpers/backends.js';
import { inboxWith } from '../helpers/turns.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let inbox: Inbox;

beforeAll(async () => {
  deps = await testDeps();
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  // Every below-threshold answer with some evidence is offered as choices: the mechanism under test.
  inbox = inboxWith(deps, { ANSWER_THRESHOLD: '0.99', CLARIFY_MIN_CONFIDENCE: '0.01' });
}, 120_000);
afterAll(async () => deps?.close());

const EN_Q = 'lost the sms with the courier link, how else can i follow my shipment';
const AR_Q = 'ابي اعرف شحنتي وين وصلت';

async function open(): Promise<string> {
  return (await inbox.open({ channel: 'api', externalId: randomUUID() })).id;
}

type Clarify = Extract<Decision, { kind: 'clarify'; why: 'did_you_mean' }>;

async function offered(id: string, text: string): Promise<Clarify> {
  const outcome = await inbox.receive({ conversationId: id, text });
  expect(outcome.handoff, text).toBeUndefined();
  const d = outcome.decision as Clarify;
  expect(d.kind, text).toBe('clarify');
  expect(d.why).toBe('did_you_mean');
  expect(d.choices.length).toBeGreaterThan(0);
  expect(d.choices.length).toBeLessThanOrEqual(3);
  expect(outcome.reply?.meta).toMatchObject({ decision: 'clarify', clarify: 'did_you_mean' });
  return d;
}

describe('did you mean …?', () => {
  it('offers up to three titles in the customer language and a person, then answers from the chosen number', async () => {
    const id = await open();
    const d = await offered(id, EN_Q);
    expect(d.choices.every((c) => c.articleId.endsWith('-en'))).toBe(true);
    expect(d.reply).toContain(`1. ${d.choices[0]?.title}`);
    expect(d.reply).toContain(`${d.choices.length + 1}. None of these: talk to a person`);
    const pick = d.choices.length > 1 ? 2 : 1;
    const chosen = d.choices[pick - 1]!;
    const next = await inbox.receive({ conversationId: id, text: String(pick) });
    expect(next.handoff).toBeUndefined();
    expect(next.decision?.kind).toBe('answer');
    expect(next.decision?.answer?.citations[0]?.articleId).toBe(chosen.articleId);
    expect(next.reply?.content.length).toBeGreaterThan(20);
  });

  it('Arabic: titles in Arabic, a choice by Arabic-Indic digit or by title', async () => {
    const id = await open();
    const d = await offered(id, AR_Q);
    expect(d.choices.every((c) => c.articleId.endsWith('-ar'))).toBe(true);
    expect(d.reply).toContain('لا شيء مما سبق: أريد التحدث مع موظف');
    const byDigit = await inbox.receive({ conversationId: id, text: '١' });
    expect(byDigit.decision?.answer?.citations[0]?.articleId).toBe(d.choices[0]?.articleId);

    const again = await open();
    const d2 = await offered(again, AR_Q);
    const last = d2.choices.at(-1)!;
    const byTitle = await inbox.receive({ conversationId: again, text: last.title });
    expect(byTitle.decision?.kind).toBe('answer');
    expect(byTitle.decision?.answer?.citations[0]?.articleId).toBe(last.articleId);
  });

  it('a structured press (widget or WhatsApp) chooses by article id', async () => {
    const id = await open();
    const d = await offered(id, EN_Q);
    const chosen = d.choices.at(-1)!;
    const next = await inbox.receive({ conversationId: id, text: chosen.title, choice: chosen.articleId });
    expect(next.decision?.answer?.citations[0]?.articleId).toBe(chosen.articleId);
  });

  it('"none of these" hands off with clarification_failed, routed and logged with the question offered for', async () => {
    for (const [q, none] of [
      [EN_Q, 'none of these'],
      [AR_Q, 'ولا واحد'],
    ] as const) {
      const id = await open();
      const d = await offered(id, q);
      const next = await inbox.receive({ conversationId: id, text: none });
      expect(next.handoff?.reason, none).toBe('clarification_failed');
      const [row] = await deps.db.query<{ question: string; team: string }>(
        'SELECT question, team FROM handoffs WHERE id = $1',
        [next.handoff?.id],
      );
      expect(row?.question).toBe(q);
      const [article] = await deps.db.query<{ team: string | null }>('SELECT team FROM articles WHERE id = $1', [
        d.choices[0]?.articleId,
      ]);
      expect(row?.team).toBe(article?.team ?? deps.config.DEFAULT_TEAM);
      // The number after the titles is "none of these" too.
      const other = await open();
      const d2 = await offered(other, q);
      const byNumber = await inbox.receive({ conversationId: other, text: String(d2.choices.length + 1) });
      expect(byNumber.handoff?.reason).toBe('clarification_failed');
    }
  });

  it('a second miss after the offer hands off (no second offer); a clear new question is answered', async () => {
    const id = await open();
    await offered(id, EN_Q);
    const miss = await inbox.receive({ conversationId: id, text: 'hmm the thing with the app' });
    expect(miss.handoff?.reason).toBe('clarification_failed');

    const strict = inboxWith(deps, { CLARIFY_MIN_CONFIDENCE: '0.01' });
    const other = (await strict.open({ channel: 'api', externalId: randomUUID() })).id;
    const first = await strict.receive({
      conversationId: other,
      text: 'do you sell camel saddles or anything for camels',
    });
    if (first.decision?.kind === 'clarify') {
      const next = await strict.receive({ conversationId: other, text: 'how long does a refund take?' });
      expect(next.decision?.kind).toBe('answer');
      expect(next.decision?.answer?.citations[0]?.articleId).toBe('refund-timeline-en');
    }
  });

  it('an explicit request for a person during the offer is a customer request', async () => {
    const id = await open();
    await offered(id, EN_Q);
    const next = await inbox.receive({ conversationId: id, text: 'x', intent: 'human' });
    expect(next.handoff?.reason).toBe('customer_request');
  });

  it('below CLARIFY_MIN_CONFIDENCE the bot hands off at once (low_confidence)', async () => {
    const never = inboxWith(deps, { ANSWER_THRESHOLD: '0.99', CLARIFY_MIN_CONFIDENCE: '1' });
    const id = (await never.open({ channel: 'api', externalId: randomUUID() })).id;
    const outcome = await never.receive({ conversationId: id, text: EN_Q });
    expect(outcome.handoff?.reason).toBe('low_confidence');
  });
});

describe('a target precision per language', () => {
  it("each language's own target picks its threshold: an Arabic target leaves English questions alone", async () => {
    const ask = async (box: Inbox, text: string) => {
      const id = (await box.open({ channel: 'api', externalId: randomUUID() })).id;
      return box.receive({ conversationId: id, text });
    };
    const settings = { ANSWER_THRESHOLD: '0', CLARIFY_MIN_CONFIDENCE: '1' };
    // Threshold 0 answers both; their confidences show where a 0.95 Arabic target's threshold cuts.
    const everything = inboxWith(deps, settings);
    const vague = { ar: 'عندي سؤال', en: 'I have a question' };
    const confidence = async (text: string) => {
      const o = await ask(everything, text);
      expect(o.decision?.kind, text).toBe('answer');
      return o.decision?.kind === 'answer' ? o.decision.answer.confidence : 1;
    };
    const arThreshold = answerThreshold({ ANSWER_THRESHOLD: 0, ANSWER_TARGET_PRECISION_AR: 0.95 }, 'ar');
    expect(await confidence(vague.ar)).toBeLessThan(arThreshold);
    const strictAr = inboxWith(deps, { ...settings, ANSWER_TARGET_PRECISION_AR: '0.95' });
    expect((await ask(strictAr, vague.ar)).decision?.kind).not.toBe('answer');
    expect((await ask(strictAr, vague.en)).decision?.kind).toBe('answer');
  });
});

describe('Arabizi and follow-ups', () => {
  const cited = (o: Awaited<ReturnType<Inbox['receive']>>) =>
    o.decision?.kind === 'answer'
      ? [o.decision.answer.citations[0]?.articleId]
      : o.decision?.kind === 'clarify' && o.decision.why === 'did_you_mean'
        ? o.decision.choices.map((c) => c.articleId)
        : [];
  it('Arabizi is understood and answered in Arabic', async () => {
    const plain = inboxWith(deps);
    for (const [text, expected] of [
      ['kam rusoom el tawseel', 'delivery-fees-ar'],
      ['wain shi7nti', 'order-tracking-ar'],
    ] as const) {
      const id = (await plain.open({ channel: 'api', externalId: randomUUID() })).id;
      const o = await plain.receive({ conversationId: id, text });
      expect(o.message.lang, text).toBe('ar');
      expect(o.reply?.lang, text).toBe('ar');
      expect(cited(o), text).toContain(expected);
    }
  });
  it('a plain problem report is answered, not handed off as negative sentiment; an upset one is', async () => {
    const plain = inboxWith(deps);
    for (const text of ['الكرت حقي ما يشتغل في الدفع', 'I requested a refund and never received it, what can I do?']) {
      const id = (await plain.open({ channel: 'api', externalId: randomUUID() })).id;
      const o = await plain.receive({ conversationId: id, text });
      expect(o.decision?.sentiment.score, text).toBeLessThan(0);
      expect(o.handoff?.reason, text).not.toBe('negative_sentiment');
    }
    const id = (await plain.open({ channel: 'api', externalId: randomUUID() })).id;
    const upset = await plain.receive({ conversationId: id, text: 'الكرت حقي ما يشتغل في الدفع، خدمة زفت!!' });
    expect(upset.handoff?.reason).toBe('negative_sentiment');
  });
  it('a short follow-up is read with the previous question, in both languages', async () => {
    const plain = inboxWith(deps);
    for (const [first, then, expected] of [
      ['what payment methods do you accept?', 'ok and for STC Pay?', 'payment-methods-en'],
      ['كم رسوم التوصيل؟', 'طيب وإذا طلبي فوق ٢٠٠ ريال؟', 'delivery-fees-ar'],
    ] as const) {
      const id = (await plain.open({ channel: 'api', externalId: randomUUID() })).id;
      await plain.receive({ conversationId: id, text: first });
      const o = await plain.receive({ conversationId: id, text: then });
      expect(cited(o), then).toContain(expected);
    }
  });
});

describe('resolveChoice', () => {
  const choices = [
    { articleId: 'a', title: 'Track your order' },
    { articleId: 'b', title: 'Delivery fees' },
    { articleId: 'c', title: 'Missing item in my order' },
  ];
  const pick = (text: string, structured?: string) => {
    const r = resolveChoice(text, structured, choices);
    return r?.kind === 'article' ? r.choice.articleId : r?.kind;
  };
  it('numbers, ordinals, titles and "none", in both languages', () => {
    expect(pick('2')).toBe('b');
    expect(pick(' 3. ')).toBe('c');
    expect(pick('٢')).toBe('b');
    expect(pick('رقم 1')).toBe('a');
    expect(pick('option 3')).toBe('c');
    expect(pick('the second one')).toBe('b');
    expect(pick('الاولى')).toBe('a');
    expect(pick('الثالث')).toBe('c');
    expect(pick('4')).toBe('none');
    expect(pick('none of these')).toBe('none');
    expect(pick('ولا واحد')).toBe('none');
    expect(pick('لا')).toBe('none');
    expect(pick('delivery fees')).toBe('b');
    expect(pick('Track your order please')).toBe('a');
    expect(pick('x', 'c')).toBe('c');
    expect(pick('x', 'none')).toBe('none');
  });
  it('a new question is no choice', () => {
    expect(pick('9')).toBeUndefined();
    expect(pick('how do I reset my password')).toBeUndefined();
    expect(pick('my order')).toBeUndefined();
  });
  it('titles are escaped in the reply', () => {
    const reply = clarifyReply([{ articleId: 'x', title: '<b>hi</b> [link](javascript:1)' }], 'en');
    expect(reply).not.toContain('<b>');
    expect(reply).not.toContain('](javascript');
  });
});
