/**
 * The article API as the editor console uses it: search and filters for the list, an archived
 * article refused for edits, a restore that says which status it leaves, and a version that
 * does not exist: clear errors, nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeps } from '../helpers/backends.js';
import { loadShop, SHOP_ARTICLES } from '../helpers/editor.js';
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

const ids = async (query: string) =>
  (
    (await (await call(app, 'GET', `/v1/articles${query}`, { key: keys.editor })).json()) as {
      articles: { id: string }[];
    }
  ).articles.map((a) => a.id);

async function snapshot(id: string) {
  return JSON.stringify([
    await deps.db.query('SELECT * FROM articles WHERE id = $1', [id]),
    await deps.db.query('SELECT version FROM article_versions WHERE article_id = $1 ORDER BY version', [id]),
    await deps.db.query('SELECT count(*)::int AS n FROM events'),
  ]);
}

describe('the article list for the editor console', () => {
  it('searches title, example questions and body, and filters by team', async () => {
    expect(await ids('?q=Apple%20Pay')).toEqual(['payment-en']);
    expect(await ids('?q=courier')).toEqual(['returns-en']);
    expect(await ids('?q=الاسترجاع')).toEqual(['returns-ar']);
    expect(await ids('?team=returns')).toEqual(['returns-ar', 'returns-en']);
    expect(await ids('?team=returns&lang=en')).toEqual(['returns-en']);
    // LIKE's wildcards are searched for as themselves.
    expect(await ids('?q=%25')).toEqual([]);
    expect(await ids('?q=_')).toEqual([]);
  });
});

describe('bad input on the editor’s writes', () => {
  it('editing an archived article is 409 article-archived and changes nothing', async () => {
    const { id, ...content } = SHOP_ARTICLES[2]!;
    await call(app, 'POST', `/v1/articles/${id}/archive`, { key: keys.editor });
    await deps.jobs.idle();
    const before = await snapshot(id);
    const res = await call(app, 'PUT', `/v1/articles/${id}`, {
      key: keys.editor,
      body: { ...content, title: 'Payment methods (edited)' },
    });
    expect(res.status).toBe(409);
    const problem = (await res.json()) as { type: string; detail: string };
    expect(problem.type).toBe('/problems/article-archived');
    expect(problem.detail).toContain('publish');
    expect(await snapshot(id)).toBe(before);
    // Publishing it again makes it editable.
    expect((await call(app, 'POST', `/v1/articles/${id}/publish`, { key: keys.editor })).status).toBe(200);
    const edited = await call(app, 'PUT', `/v1/articles/${id}`, {
      key: keys.editor,
      body: { ...content, title: 'Payment methods (edited)' },
    });
    expect(edited.status).toBe(200);
  });

  it('restoring a version that does not exist is 404 and changes nothing', async () => {
    const id = 'delivery-en';
    const before = await snapshot(id);
    for (const v of ['99', '0', 'latest']) {
      const res = await call(app, 'POST', `/v1/articles/${id}/versions/${v}/restore`, { key: keys.editor });
      expect(res.status, v).toBe(v === '99' ? 404 : 400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await snapshot(id)).toBe(before);
  });

  it('a restore is a new version and says which status it leaves the article in', async () => {
    const { id, ...content } = SHOP_ARTICLES[1]!;
    await call(app, 'PUT', `/v1/articles/${id}`, { key: keys.editor, body: { ...content, title: 'Delivery times' } });
    const res = await call(app, 'POST', `/v1/articles/${id}/versions/1/restore`, { key: keys.editor });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      article: { version: number; status: string; title: string };
      restoredFrom: number;
      note: string;
    };
    expect(body.article).toMatchObject({ version: 3, status: 'published', title: content.title });
    expect(body.restoredFrom).toBe(1);
    expect(body.note).toBe(
      "Version 1's content is now version 3; it stays published: customers get the restored content once it is indexed.",
    );
    await call(app, 'POST', `/v1/articles/${id}/archive`, { key: keys.editor });
    const archived = await call(app, 'POST', `/v1/articles/${id}/versions/2/restore`, { key: keys.editor });
    expect(((await archived.json()) as { note: string }).note).toContain('it stays archived');
  });
});
