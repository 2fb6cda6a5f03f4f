/**
 * The bot with local models only (no model configured): answers in the customer's language
 * with a citation and a confidence, stores repeated deliveries once, hands off for every
 * reason with a complete hand-off log, stays silent while a person has the conversation,
 * and rejects bad input with problem+json.
 */

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffNotice } from '../../src/bot/policy.js';
import { redact } from '../../src/text/redact.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';
import { inboxWith, turn } from '../helpers/turns.js';

const MAX_CHARS = 500;

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps({ config: { MESSAGE_MAX_CHARS: String(MAX_CHARS) } });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  expect(imported.created.length).toBeGreaterThan(40);
  app = deps.service.app();
  keys = await keysByRole(deps.db);
});
afterAll(async () => deps?.close());

interface MessageOut {
  id: string;
  role: string;
  content: string;
  lang: string | null;
  channelMessageId: string | null;
  sentiment: { score: number; label: string } | null;
  confidence: number | null;
  citations: { articleId: string; chunkId: number; title: string }[];
  handoffReason: string | null;
}
interface TurnOut {
  message: MessageOut;
  reply: MessageOut | null;
  handoff: { id: string; reason: string; team: string; priority: number } | null;
  duplicate: boolean;
}
interface HandoffRow {
  id: string;
  message_id: string;
  reason: string;
  confidence: number | null;
  sentiment: number | null;
  question: string;
  candidates: { articleId: string; title: string; score: number; similarity: number }[];
  team: string;
  priority: number;
}

async function open(key = keys.agent): Promise<string> {
  const res = await call(app, 'POST', '/v1/conversations', { key, body: { contact: { externalId: randomUUID() } } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { conversation: { id: string } }).conversation.id;
}

async function say(
  id: string,
  text: string,
  options: { key?: string; channelMessageId?: string; status?: number } = {},
): Promise<TurnOut> {
  const res = await call(app, 'POST', `/v1/conversations/${id}/messages`, {
    key: options.key ?? keys.agent,
    body: { text, channelMessageId: options.channelMessageId },
  });
  expect(res.status, await res.clone().text()).toBe(options.status ?? 201);
  return (await res.json()) as TurnOut;
}

async function conversationRow(id: string) {
  const [row] = await deps.db.query<{ status: string; team: string | null; priority: number; bot_failures: number }>(
    'SELECT status, team, priority, bot_failures FROM conversations WHERE id = $1',
    [id],
  );
  return row!;
}

async function handoffRows(id: string): Promise<HandoffRow[]> {
  const rows = await deps.db.query<HandoffRow>(
    'SELECT * FROM handoffs WHERE conversation_id = $1 ORDER BY created_at',
    [id],
  );
  return rows.map((r) => ({
    ...r,
    confidence: r.confidence === null ? null : Number(r.confidence),
    sentiment: r.sentiment === null ? null : Number(r.sentiment),
  }));
}

async function messageCount(id: string): Promise<number> {
  const [row] = await deps.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1',
    [id],
  );
  return Number(row?.n);
}

async function articleTeam(articleId: string): Promise<string | null> {
  const [row] = await deps.db.query<{ team: string | null }>('SELECT team FROM articles WHERE id = $1', [articleId]);
  return row?.team ?? null;
}

function expectAnswered(turn: TurnOut, lang: 'ar' | 'en', articleId: string) {
  expect(turn.handoff).toBeNull();
  const reply = turn.reply!;
  expect(reply.role).toBe('bot');
  expect(reply.handoffReason).toBeNull();
  expect(reply.lang).toBe(lang);
  expect(reply.citations.map((c) => c.articleId)).toEqual([articleId]);
  expect(reply.citations[0]!.articleId.endsWith(`-${lang}`)).toBe(true);
  expect(reply.confidence).toBeGreaterThanOrEqual(deps.config.ANSWER_THRESHOLD);
  expect(reply.confidence).toBeLessThanOrEqual(1);
  // Written in the customer's language.
  const arabic = (reply.content.match(/\p{Script=Arabic}/gu) ?? []).length;
  const latin = (reply.content.match(/[A-Za-z]/g) ?? []).length;
  if (lang === 'ar') expect(arabic).toBeGreaterThan(latin);
  else expect(latin).toBeGreaterThan(arabic);
}

/** Checks the reply, the conversation and the hand-off log after a hand-off; returns the log row. */
async function expectHandedOff(
  id: string,
  turn: TurnOut,
  expected: { reason: string; lang: 'ar' | 'en'; text: string; handoffsBefore?: number },
): Promise<HandoffRow> {
  expect(turn.handoff?.reason).toBe(expected.reason);
  const reply = turn.reply!;
  expect(reply.content).toBe(handoffNotice(expected.lang));
  expect(reply.lang).toBe(expected.lang);
  expect(reply.handoffReason).toBe(expected.reason);
  expect(reply.confidence).toBeGreaterThanOrEqual(0);
  expect(reply.confidence).toBeLessThanOrEqual(1);

  const rows = await handoffRows(id);
  expect(rows).toHaveLength((expected.handoffsBefore ?? 0) + 1);
  const row = rows.at(-1)!;
  expect(row.id).toBe(turn.handoff!.id);
  expect(row.reason).toBe(expected.reason);
  expect(row.message_id).toBe(turn.message.id);
  expect(row.question).toBe(redact(expected.text).text);
  expect(row.sentiment).toBeCloseTo(turn.message.sentiment!.score, 4);
  if (row.confidence !== null) {
    expect(row.confidence).toBeGreaterThanOrEqual(0);
    expect(row.confidence).toBeLessThanOrEqual(1);
  }
  expect(Array.isArray(row.candidates)).toBe(true);
  for (const c of row.candidates) {
    expect(typeof c.articleId).toBe('string');
    expect(typeof c.title).toBe('string');
    expect(Number.isFinite(c.score)).toBe(true);
    expect(Number.isFinite(c.similarity)).toBe(true);
  }
  expect(row.team.length).toBeGreaterThan(0);
  expect(Number.isInteger(row.priority)).toBe(true);
  expect(row.priority).toBeGreaterThanOrEqual(0);
  expect(row.priority).toBeLessThanOrEqual(100);

  const conversation = await conversationRow(id);
  expect(conversation.status).toBe('waiting_human');
  expect(conversation.team).toBe(row.team);
  expect(conversation.priority).toBe(row.priority);
  return row;
}

/** While a person has the conversation, the customer's message is stored and the bot says nothing. */
async function expectSilent(id: string, text = 'how long does a refund take?') {
  const before = await messageCount(id);
  const handoffs = (await handoffRows(id)).length;
  const turn = await say(id, text);
  expect(turn.message.content).toBe(text);
  expect(turn.reply).toBeNull();
  expect(turn.handoff).toBeNull();
  expect(await messageCount(id)).toBe(before + 1);
  expect(await handoffRows(id)).toHaveLength(handoffs);
  expect((await conversationRow(id)).status).toBe('waiting_human');
}

describe('answers from the knowledge base', () => {
  it('answers a Gulf Arabic question in Arabic, quoting and citing an Arabic article', async () => {
    const id = await open();
    const turn = await say(id, 'وش طرق الدفع اللي عندكم؟');
    expectAnswered(turn, 'ar', 'payment-methods-ar');
    expect(turn.message.lang).toBe('ar');
    expect(turn.message.sentiment?.label).toBeTypeOf('string');
    // Extractive: every line of the reply is in the cited article's file.
    const article = readFileSync('knowledge-base/ar/payment-methods.md', 'utf8');
    for (const line of turn.reply!.content.replace(/…$/, '').split('\n')) {
      if (line.trim()) expect(article).toContain(line.trim());
    }
    // The confidence is stored on the bot message.
    const [stored] = await deps.db.query<{ confidence: number; citations: { articleId: string }[] }>(
      "SELECT confidence, citations FROM messages WHERE conversation_id = $1 AND role = 'bot'",
      [id],
    );
    expect(Number(stored?.confidence)).toBeCloseTo(turn.reply!.confidence!, 5);
    expect(stored?.citations.map((c) => c.articleId)).toEqual(['payment-methods-ar']);
    expect((await conversationRow(id)).status).toBe('bot');
  });

  it('answers another Gulf question on refunds from the Arabic article', async () => {
    const id = await open();
    expectAnswered(await say(id, 'متى يرجع لي المبلغ اذا رجعت الطلب؟'), 'ar', 'refund-timeline-ar');
  });

  it('answers an English question in English from an English article', async () => {
    const id = await open();
    const turn = await say(id, 'how long does a refund take?');
    expectAnswered(turn, 'en', 'refund-timeline-en');
    expect(turn.message.lang).toBe('en');
  });

  it('stores a repeated delivery once and returns the same reply', async () => {
    const id = await open();
    const first = await say(id, 'كم ياخذ التوصيل للرياض؟', { channelMessageId: 'wamid.HBgM-1' });
    expect(first.duplicate).toBe(false);
    expect(first.reply).not.toBeNull();
    const again = await say(id, 'كم ياخذ التوصيل للرياض؟', { channelMessageId: 'wamid.HBgM-1', status: 200 });
    expect(again.duplicate).toBe(true);
    expect(again.message.id).toBe(first.message.id);
    expect(again.reply?.id).toBe(first.reply!.id);
    expect(again.reply?.content).toBe(first.reply!.content);
    const rows = await deps.db.query<{ role: string }>(
      'SELECT role FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [id],
    );
    expect(rows.map((r) => r.role)).toEqual(['customer', 'bot']);
    const [dupes] = await deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE channel_message_id = 'wamid.HBgM-1'",
    );
    expect(Number(dupes?.n)).toBe(1);
    // A different channel message id with the same text is a new message.
    const other = await say(id, 'كم ياخذ التوصيل للرياض؟', { channelMessageId: 'wamid.HBgM-2' });
    expect(other.duplicate).toBe(false);
    expect(other.message.id).not.toBe(first.message.id);
    expect(await messageCount(id)).toBe(4);
  });
});

describe('hands off to a person, with the reason logged', () => {
  it('customer_request: «أبي أكلم موظف», with the phone number redacted in the log', async () => {
    const id = await open();
    const text = 'أبي أكلم موظف، رقمي 0551234567';
    const turn = await say(id, text);
    const row = await expectHandedOff(id, turn, { reason: 'customer_request', lang: 'ar', text });
    expect(row.question).toContain('[PHONE]');
    expect(row.question).not.toContain('0551234567');
    expect(row.team).toBe(deps.config.DEFAULT_TEAM);
    expect(row.candidates).toEqual([]);
    await expectSilent(id);
  });

  it('negative_sentiment: a furious message, in English and in Arabic', async () => {
    const en = await open();
    const text = 'This is absolutely disgusting, worst service ever, I am furious!!!';
    const row = await expectHandedOff(en, await say(en, text), { reason: 'negative_sentiment', lang: 'en', text });
    expect(row.sentiment).toBeLessThanOrEqual(deps.config.NEGATIVE_SENTIMENT_THRESHOLD);
    expect(row.team).toBe(deps.config.DEFAULT_TEAM);
    await expectSilent(en);

    const ar = await open();
    const arText = 'والله خدمة زفت وأسوأ تعامل، حسبي الله عليكم!!';
    await expectHandedOff(ar, await say(ar, arText), { reason: 'negative_sentiment', lang: 'ar', text: arText });
  });

  it('negative_sentiment: a mood that keeps sinking over several messages', async () => {
    const last = 'my refund is late, how long does a refund take?';
    // On its own the last message is answered: it is the trend that calls for a person.
    const alone = await open();
    const single = await say(alone, last);
    expectAnswered(single, 'en', 'refund-timeline-en');
    expect(single.message.sentiment!.score).toBeGreaterThan(deps.config.NEGATIVE_SENTIMENT_THRESHOLD);

    const id = await open();
    const scores: number[] = [];
    for (const text of ['how long does a refund take?', 'my refund is a bit late, how long does a refund take?']) {
      const turn = await say(id, text);
      expectAnswered(turn, 'en', 'refund-timeline-en');
      scores.push(turn.message.sentiment!.score);
    }
    const turn = await say(id, last);
    scores.push(turn.message.sentiment!.score);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    await expectHandedOff(id, turn, { reason: 'negative_sentiment', lang: 'en', text: last });
  });

  it('sensitive_topic: cancelling an order goes to the orders team even though the bot knows the answer', async () => {
    const ar = await open();
    const text = 'أبي ألغي الطلب';
    const row = await expectHandedOff(ar, await say(ar, text), { reason: 'sensitive_topic', lang: 'ar', text });
    expect(row.candidates[0]?.articleId).toBe('cancel-order-ar');
    expect(row.team).toBe('orders');
    expect(row.team).toBe(await articleTeam('cancel-order-ar'));
    expect(row.confidence).toBeGreaterThanOrEqual(deps.config.ANSWER_THRESHOLD);
    await expectSilent(ar);

    const en = await open();
    const enText = 'I want to cancel my order';
    const enRow = await expectHandedOff(en, await say(en, enText), {
      reason: 'sensitive_topic',
      lang: 'en',
      text: enText,
    });
    expect(enRow.candidates[0]?.articleId).toBe('cancel-order-en');
    expect(enRow.team).toBe('orders');
  });

  it('sensitive_topic follows SENSITIVE_TAGS: other tags make other topics sensitive, and routing follows the article', async () => {
    const cancel = await turn(inboxWith(deps, { SENSITIVE_TAGS: 'legal' }), 'أبي ألغي الطلب');
    expect(cancel.handoff).toBeUndefined();
    expect(cancel.reply?.citations[0]?.articleId).toBe('cancel-order-ar');

    const privacy = await turn(inboxWith(deps, { SENSITIVE_TAGS: 'privacy' }), 'أبي أحذف حسابي');
    expect(privacy.handoff?.reason).toBe('sensitive_topic');
    expect(privacy.handoff?.team).toBe('legal');
  });

  it('repeated_failure: two "that didn\'t help" in a row; the first gets one more try', async () => {
    const id = await open();
    expectAnswered(await say(id, 'متى يرجع لي المبلغ اذا رجعت الطلب؟'), 'ar', 'refund-timeline-ar');
    const first = await say(id, 'ما فادني');
    expect(first.handoff).toBeNull();
    expect(first.reply?.lang).toBe('ar');
    expect(first.reply?.content).not.toBe(handoffNotice('ar'));
    expect(first.reply?.citations).toEqual([]);
    expect((await conversationRow(id)).status).toBe('bot');
    const second = await say(id, 'ما فادني');
    const row = await expectHandedOff(id, second, { reason: 'repeated_failure', lang: 'ar', text: 'ما فادني' });
    // Routed to the team of the article that missed.
    expect(row.team).toBe(await articleTeam('refund-timeline-ar'));
    await expectSilent(id);
  });

  it('repeated_failure counts misses in a row: an answered new question starts again', async () => {
    const id = await open();
    expectAnswered(await say(id, 'how long does a refund take?'), 'en', 'refund-timeline-en');
    const miss = await say(id, "That didn't help.");
    expect(miss.handoff).toBeNull();
    expect(miss.reply?.lang).toBe('en');
    expect(miss.reply?.content).not.toBe(handoffNotice('en'));
    expectAnswered(await say(id, 'what payment methods do you accept?'), 'en', 'payment-methods-en');
    const again = await say(id, 'that did not help');
    expect(again.handoff).toBeNull();
    expect((await conversationRow(id)).status).toBe('bot');
    const text = 'that did not help';
    await expectHandedOff(id, await say(id, text), { reason: 'repeated_failure', lang: 'en', text });
  });

  it('low_confidence: an out-of-scope question, with the candidates it considered', async () => {
    const id = await open();
    const text = "what's the weather in Riyadh";
    const turn = await say(id, text);
    const row = await expectHandedOff(id, turn, { reason: 'low_confidence', lang: 'en', text });
    expect(row.confidence).toBeLessThan(deps.config.ANSWER_THRESHOLD);
    expect(row.candidates.length).toBeGreaterThan(0);
    expect(row.team).toBe(await articleTeam(row.candidates[0]!.articleId));
    await expectSilent(id);

    const ar = await open();
    const arText = 'وش الجو في الرياض بكرة';
    await expectHandedOff(ar, await say(ar, arText), { reason: 'low_confidence', lang: 'ar', text: arText });
  });

  it('low_confidence: the placeholders of redacted personal data do not make an out-of-scope question look answerable', async () => {
    const plain = await open();
    const without = await say(plain, "what's the weather in Riyadh");
    const id = await open();
    const text = "what's the weather in Riyadh? 0551234567 ahmed.salem@example.com 4111 1111 1111 1111";
    const row = await expectHandedOff(id, await say(id, text), { reason: 'low_confidence', lang: 'en', text });
    expect(row.question).toBe("what's the weather in Riyadh? [PHONE] [EMAIL] [CARD]");
    expect(row.confidence).toBeCloseTo(without.reply!.confidence!, 4);
  });

  it('low_confidence: a message with no searchable words ("?", an emoji) is handed off, not a server error', async () => {
    for (const text of ['?', '👍', '...']) {
      const id = await open();
      const row = await expectHandedOff(id, await say(id, text), { reason: 'low_confidence', lang: 'en', text });
      expect(row.confidence).toBe(0);
      // Articles matched by chance do not route the conversation.
      expect(row.candidates).toEqual([]);
      expect(row.team).toBe(deps.config.DEFAULT_TEAM);
    }
  });

  it('answers a bare greeting or thanks itself, in the customer language, without a hand-off', async () => {
    const id = await open();
    for (const [text, pattern] of [
      ['السلام عليكم', /^وعليكم السلام/],
      ['hi', /Sanad/],
      ['مشكورين ما قصرتوا', /العفو/],
      ['ok', /anything else/],
    ] as const) {
      const res = await say(id, text);
      expect(res.handoff, text).toBeNull();
      expect(res.reply?.content, text).toMatch(pattern);
      expect(res.reply?.confidence).toBe(1);
    }
    const [row] = await deps.db.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1', [id]);
    expect(row?.status).toBe('bot');
  });

  it("a message without letters keeps the conversation's language", async () => {
    const res = await call(app, 'POST', '/v1/conversations', {
      key: keys.agent,
      body: { contact: { externalId: randomUUID() }, lang: 'ar' },
    });
    const id = ((await res.json()) as { conversation: { id: string } }).conversation.id;
    const turn = await say(id, '👍');
    expect(turn.message.lang).toBe('ar');
    await expectHandedOff(id, turn, { reason: 'low_confidence', lang: 'ar', text: '👍' });
  });

  it('puts an angry customer ahead of a question the bot could not answer', async () => {
    const angry = await open();
    const a = await say(angry, 'This is absolutely disgusting, worst service ever, I am furious!!!');
    const unsure = await open();
    const u = await say(unsure, "what's the weather in Riyadh");
    expect(a.handoff!.priority).toBeGreaterThan(u.handoff!.priority);
  });

  it('stays silent until handed back, then answers again', async () => {
    const id = await open();
    await expectHandedOff(id, await say(id, 'أبي أكلم موظف'), {
      reason: 'customer_request',
      lang: 'ar',
      text: 'أبي أكلم موظف',
    });
    await expectSilent(id, 'وش طرق الدفع اللي عندكم؟');
    await expectSilent(id, 'طيب؟');
    const back = await call(app, 'POST', `/v1/conversations/${id}/handback`, { key: keys.agent });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { conversation: { status: string } }).conversation.status).toBe('bot');
    expectAnswered(await say(id, 'وش طرق الدفع اللي عندكم؟'), 'ar', 'payment-methods-ar');
    const transcript = await deps.db.query<{ role: string }>(
      'SELECT role FROM messages WHERE conversation_id = $1 ORDER BY seq',
      [id],
    );
    expect(transcript.map((m) => m.role)).toEqual(['customer', 'bot', 'customer', 'customer', 'customer', 'bot']);
  });
});

describe('bad requests get problem+json and store nothing', () => {
  async function expectProblem(res: Response, status: number, type: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { type: string; status: number; detail: string };
    expect(body.type).toBe(`/problems/${type}`);
    expect(body.status).toBe(status);
    expect(body.detail.length).toBeGreaterThan(10);
  }
  const post = (id: string, body: unknown, key = keys.agent) =>
    call(app, 'POST', `/v1/conversations/${id}/messages`, { key, body });

  it('a resolved conversation takes no more messages (409)', async () => {
    const id = await open();
    await say(id, 'how long does a refund take?');
    const resolved = await call(app, 'POST', `/v1/conversations/${id}/resolve`, { key: keys.agent });
    expect(resolved.status).toBe(200);
    const before = await messageCount(id);
    await expectProblem(await post(id, { text: 'one more thing' }), 409, 'conversation-closed');
    expect(await messageCount(id)).toBe(before);
    await expectProblem(
      await call(app, 'POST', `/v1/conversations/${id}/handback`, { key: keys.agent }),
      409,
      'conversation-closed',
    );
  });

  it('empty, whitespace-only, too long and invalid text', async () => {
    const id = await open();
    await expectProblem(await post(id, { text: '' }), 400, 'empty-message');
    await expectProblem(await post(id, { text: '  \n\t \u00a0 ' }), 400, 'empty-message');
    await expectProblem(await post(id, { text: 'ا'.repeat(MAX_CHARS + 1) }), 413, 'message-too-long');
    // A lone surrogate is what broken UTF-8 turns into; JSON can carry it escaped.
    await expectProblem(await post(id, '{"text": "hello \\ud800 there"}'), 400, 'invalid-text');
    await expectProblem(await post(id, '{"text": "\\udc00"}'), 400, 'invalid-text');
    expect(await messageCount(id)).toBe(0);
    // Exactly at the limit is accepted (characters, not UTF-16 units or bytes).
    const turn = await say(id, '😀'.repeat(MAX_CHARS));
    expect(turn.message.content).toBe('😀'.repeat(MAX_CHARS));
  });

  it('an unknown conversation is 404', async () => {
    await expectProblem(await post(randomUUID(), { text: 'hello' }), 404, 'not-found');
    await expectProblem(await post('not-a-uuid', { text: 'hello' }), 404, 'not-found');
    await expectProblem(
      await call(app, 'GET', `/v1/conversations/${randomUUID()}`, { key: keys.agent }),
      404,
      'not-found',
    );
  });

  it('an API key sees only the conversations it opened', async () => {
    const id = await open(keys.agent);
    await say(id, 'how long does a refund take?');
    const other = keys.supervisor;
    await expectProblem(await call(app, 'GET', `/v1/conversations/${id}`, { key: other }), 404, 'not-found');
    await expectProblem(await post(id, { text: 'hello' }, other), 404, 'not-found');
    await expectProblem(await call(app, 'POST', `/v1/conversations/${id}/handback`, { key: other }), 404, 'not-found');
    await expectProblem(await call(app, 'POST', `/v1/conversations/${id}/resolve`, { key: other }), 404, 'not-found');
    expect(await messageCount(id)).toBe(2);
    expect((await conversationRow(id)).status).toBe('bot');
    const own = await call(app, 'GET', `/v1/conversations/${id}`, { key: keys.agent });
    expect(own.status).toBe(200);
    const body = (await own.json()) as { messages: MessageOut[] };
    expect(body.messages.map((m) => m.role)).toEqual(['customer', 'bot']);
  });
});
