/**
 * Learned phrasing: a conversation an agent resolved with a reply that cited an article
 * proposes the customer's redacted question as that article's example question (once, however
 * often the event is delivered); an editor accepts (a new version, retrievable after the index
 * job) or dismisses in one click, or the editor setting accepts automatically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnableQuestion, proposeFromConversation } from '../../src/editor/learned-phrasing.js';
import { testDeps } from '../helpers/backends.js';
import { ask, loadShop, resolveWithArticle, signedInStaff } from '../helpers/editor.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
let agent: { id: string; name: string };

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
  await loadShop(deps);
  agent = await signedInStaff(deps, 'agent', 'Huda');
}, 120_000);
afterAll(async () => deps?.close());

interface Phrasing {
  id: string;
  articleId: string;
  question: string;
  status: string;
  conversationId: string;
  decidedBy: string | null;
  articleVersion: number | null;
}

async function proposals(status = 'proposed'): Promise<Phrasing[]> {
  const res = await call(app, 'GET', `/v1/learned-phrasing?status=${status}`, { key: keys.editor });
  expect(res.status).toBe(200);
  return ((await res.json()) as { phrasings: Phrasing[] }).phrasings;
}

const article = async (id: string) =>
  (
    (await (await call(app, 'GET', `/v1/articles/${id}`, { key: keys.editor })).json()) as {
      article: { version: number; questions: string[]; status: string };
    }
  ).article;

/**
 * A customer's question handed off (the "talk to a person" button, so whatever the bot knows),
 * answered by an agent citing `articleId`, resolved.
 */
async function resolvedHandoff(question: string, articleId: string) {
  const { conversationId, outcome } = await ask(deps, question, { intent: 'human' });
  expect(outcome.handoff, question).toBeDefined();
  await resolveWithArticle(deps, conversationId, agent, articleId);
  await deps.jobs.idle();
  return conversationId;
}

async function topArticle(query: string) {
  const res = await call(app, 'POST', '/v1/search', { key: keys.editor, body: { query, lang: 'en' } });
  return ((await res.json()) as { articles: { articleId: string }[] }).articles[0]?.articleId;
}

describe('learned phrasing', () => {
  const QUESTION = 'the courier never showed up with my parcel, my phone is 0501234567';

  it('a resolved hand-off whose reply cited an article proposes the redacted question, once', async () => {
    const conversationId = await resolvedHandoff(QUESTION, 'delivery-en');
    const [p, ...rest] = await proposals();
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      articleId: 'delivery-en',
      conversationId,
      status: 'proposed',
      question: 'the courier never showed up with my parcel, my phone is',
    });
    // The event redelivered, or handled twice: nothing new.
    await proposeFromConversation(deps.db, conversationId);
    await proposeFromConversation(deps.db, conversationId);
    expect(await proposals()).toHaveLength(1);
    const [{ n }] = (await deps.db.query('SELECT count(*)::int AS n FROM learned_phrasings')) as [{ n: number }];
    expect(n).toBe(1);
  });

  it('accepting adds it to the article as a new version, retrievable after the index job; a second click is 409', async () => {
    const before = await article('delivery-en');
    const [p] = await proposals();
    const res = await call(app, 'POST', `/v1/learned-phrasing/${p?.id}/accept`, { key: keys.editor });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { phrasing: Phrasing; articleVersion: number; changed: string[] };
    expect(body.changed).toEqual(['questions']);
    expect(body.articleVersion).toBe(before.version + 1);
    expect(body.phrasing).toMatchObject({ status: 'accepted', articleVersion: before.version + 1 });
    expect(body.phrasing.decidedBy).toContain('test-editor');
    const after = await article('delivery-en');
    expect(after.questions).toEqual([...before.questions, p?.question]);
    await deps.jobs.idle();
    const chunks = await deps.db.query<{ content: string }>(
      "SELECT content FROM chunks WHERE article_id = 'delivery-en' AND kind = 'question'",
    );
    expect(chunks.map((c) => c.content)).toContain(p?.question);
    expect(await topArticle('the courier never showed up with my parcel')).toBe('delivery-en');

    const again = await call(app, 'POST', `/v1/learned-phrasing/${p?.id}/accept`, { key: keys.editor });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toBe('/problems/already-decided');
    expect((await article('delivery-en')).version).toBe(after.version);
  });

  it('dismissing leaves the article as it is', async () => {
    await resolvedHandoff('is it possible to split the bill between two cards', 'payment-en');
    const [p] = await proposals();
    expect(p?.articleId).toBe('payment-en');
    const before = await article('payment-en');
    const res = await call(app, 'POST', `/v1/learned-phrasing/${p?.id}/dismiss`, { key: keys.editor });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { phrasing: Phrasing }).phrasing.status).toBe('dismissed');
    expect(await article('payment-en')).toEqual(before);
    expect(await proposals()).toEqual([]);
    expect((await proposals('dismissed')).map((x) => x.id)).toEqual([p?.id]);
  });

  it('with the editor setting on, proposals are accepted automatically', async () => {
    const set = await call(app, 'PUT', '/v1/learned-phrasing/settings', {
      key: keys.editor,
      body: { autoAccept: true },
    });
    expect(set.status).toBe(200);
    const before = await article('returns-en');
    await resolvedHandoff('the blender I got makes a grinding noise, what now', 'returns-en');
    const [p] = await proposals('accepted');
    expect(p).toMatchObject({ articleId: 'returns-en', decidedBy: 'learned phrasing (auto-accept)' });
    expect((await article('returns-en')).questions).toEqual([...before.questions, p?.question]);
    expect(await proposals()).toEqual([]);
    await call(app, 'PUT', '/v1/learned-phrasing/settings', { key: keys.editor, body: { autoAccept: false } });
    const list = await call(app, 'GET', '/v1/learned-phrasing', { key: keys.editor });
    expect(((await list.json()) as { autoAccept: boolean }).autoAccept).toBe(false);
  });

  it('a "talk to a person" hand-off learns the question the customer asked, not the request', async () => {
    const { conversationId } = await ask(deps, 'my voucher code says expired at checkout');
    await deps.inbox.receive({ conversationId, text: 'I want to talk to a human' });
    await resolveWithArticle(deps, conversationId, agent, 'payment-en');
    await deps.jobs.idle();
    expect((await proposals()).map((p) => p.question)).toEqual(['my voucher code says expired at checkout']);
  });

  it('nothing is proposed without a cited reply, nor from an internal note', async () => {
    const count = async () =>
      ((await deps.db.query('SELECT count(*)::int AS n FROM learned_phrasings')) as [{ n: number }])[0].n;
    const before = await count();
    const { conversationId } = await ask(deps, 'can you gift wrap my order please');
    await deps.inbox.assign(conversationId, agent.id);
    await deps.inbox.reply({ conversationId, author: agent, text: 'see this', articleIds: ['returns-en'], note: true });
    await deps.inbox.reply({ conversationId, author: agent, text: 'Yes, we can.' });
    await deps.inbox.resolve(conversationId);
    await deps.jobs.idle();
    expect(await count()).toBe(before);
  });

  it('bad input: unknown proposals are 404; an archived article takes nothing (409) and nothing changes', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await call(app, 'POST', `/v1/learned-phrasing/${id}/accept`, { key: keys.editor });
      expect(res.status, id).toBe(404);
    }
    await resolvedHandoff('my parcel box arrived crushed and wet', 'delivery-en');
    const [p] = await proposals();
    expect(p?.articleId).toBe('delivery-en');
    await call(app, 'POST', '/v1/articles/delivery-en/archive', { key: keys.editor });
    const before = await article('delivery-en');
    const res = await call(app, 'POST', `/v1/learned-phrasing/${p?.id}/accept`, { key: keys.editor });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { type: string }).type).toBe('/problems/article-archived');
    expect(await article('delivery-en')).toEqual(before);
    expect((await proposals()).map((x) => x.id)).toContain(p?.id);
    expect((await call(app, 'GET', '/v1/learned-phrasing', { key: keys.agent })).status).toBe(403);
  });

  it('the learnable question skips requests for a person, greetings and personal data', () => {
    expect(
      learnableQuestion(['talk to a human please', 'hello', 'my card 4111 1111 1111 1111 was charged twice']),
    ).toBe('my card was charged twice');
    expect(learnableQuestion(['أبي أكلم موظف', 'وش صار على طلبي رقم جوالي 0551234567'])).toBe(
      'وش صار على طلبي رقم جوالي',
    );
    expect(learnableQuestion(['hi', '👍'])).toBeUndefined();
  });
});
