/**
 * The answer diff before publishing: recent customer questions retrieved against the knowledge
 * base as it is and as it would be with the change, in a transaction that is rolled back, so
 * the editor sees which questions change outcome and nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerDiff } from '../../src/editor/answer-diff.js';
import { testDeps } from '../helpers/backends.js';
import { ask, loadShop, SHOP_ARTICLES } from '../helpers/editor.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
  await loadShop(deps);
}, 120_000);
afterAll(async () => deps?.close());

const SADDLES = {
  id: 'camel-saddles',
  title: 'Do you sell camel saddles?',
  lang: 'en',
  tags: ['heritage'],
  team: null,
  questions: ['camel saddle available in your store', 'where can I buy a saddle for my camel'],
  body: 'Yes: camel saddles are in the Heritage section of the store, from 900 riyals, delivered in a week.',
};

/** Everything a preview might leave behind if it were not rolled back. */
async function fingerprint() {
  const q = async (sql: string) => JSON.stringify(await deps.db.query(sql));
  return [
    await q('SELECT id, version, status, questions FROM articles ORDER BY id'),
    await q('SELECT article_id, version FROM article_versions ORDER BY article_id, version'),
    await q('SELECT article_id, kind, position, content_hash FROM chunks ORDER BY article_id, kind, position'),
    await q('SELECT count(*)::int AS n FROM embeddings'),
    await q('SELECT article_id, bias FROM article_intents ORDER BY article_id'),
    await q("SELECT key, value FROM settings WHERE key LIKE 'idf.%'"),
    await q('SELECT count(*)::int AS n FROM events'),
  ].join('\n');
}

async function diff(body: unknown): Promise<AnswerDiff> {
  const res = await call(app, 'POST', '/v1/answer-diff', { key: keys.editor, body });
  expect(res.status).toBe(200);
  return (await res.json()) as AnswerDiff;
}

describe('answer diff', () => {
  it('a new draft: the questions it would answer, and nothing saved', async () => {
    const { outcome } = await ask(deps, 'do you sell camel saddles?');
    expect(outcome.handoff?.reason).toBe('low_confidence');
    await ask(deps, 'how long does delivery take to Dammam');
    const before = await fingerprint();
    const result = await diff({ article: SADDLES });
    expect(result.checked).toMatchObject({ dev: 0, devSet: null });
    expect(result.checked.recent).toBe(2);
    expect(result.changes).toEqual([
      expect.objectContaining({
        source: 'recent',
        question: 'do you sell camel saddles?',
        kind: 'now_answered',
        before: expect.objectContaining({ answered: false }),
        after: expect.objectContaining({ answered: true, articleId: 'camel-saddles' }),
      }),
    ]);
    expect(result.summary).toMatchObject({ nowAnswered: 1, nowHandedOff: 0, otherArticle: 0 });
    expect(await fingerprint()).toBe(before);
    expect((await call(app, 'GET', '/v1/articles/camel-saddles', { key: keys.editor })).status).toBe(404);
    // The live bot still hands the question off.
    expect((await ask(deps, 'do you sell camel saddles?')).outcome.handoff?.reason).toBe('low_confidence');
  });

  it('an edit or an archive of a published article: what stops being answered', async () => {
    const { id, ...returns } = SHOP_ARTICLES[0]!;
    await ask(deps, 'can I return an item I bought last week');
    const before = await fingerprint();
    const archived = await diff({ article: { id, ...returns }, status: 'archived' });
    const lost = archived.changes.find((c) => c.question === 'can I return an item I bought last week');
    expect(lost).toMatchObject({ kind: 'now_handed_off', before: { articleId: 'returns-en', answered: true } });
    expect(archived.summary.nowHandedOff).toBeGreaterThanOrEqual(1);
    // An edit that keeps the topic changes nothing for these questions.
    const edited = await diff({ article: { id, ...returns, body: `${returns.body} Refunds take 5 days.` } });
    expect(edited.changes.find((c) => c.question === 'can I return an item I bought last week')).toBeUndefined();
    expect(await fingerprint()).toBe(before);
    expect((await deps.db.query("SELECT status FROM articles WHERE id = 'returns-en'"))[0]).toEqual({
      status: 'published',
    });
  });

  it('bad input: unknown fields and a missing body are 400, agents may not preview', async () => {
    const bad = await call(app, 'POST', '/v1/answer-diff', {
      key: keys.editor,
      body: { article: { ...SADDLES, body: '' } },
    });
    expect(bad.status).toBe(400);
    const snake = await call(app, 'POST', '/v1/answer-diff', {
      key: keys.editor,
      body: { article: SADDLES, base_version: 1 },
    });
    expect(snake.status).toBe(400);
    expect((await call(app, 'POST', '/v1/answer-diff', { key: keys.agent, body: { article: SADDLES } })).status).toBe(
      403,
    );
  });
});
