/** Article changes write their events in the same transaction: created, published, archived, updated. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
}, 120_000);
afterAll(async () => deps?.close());

it("an article's life is told by its events, in order, with the version each change made", async () => {
  const id = 'gift-wrapping-ar';
  const created = await call(app, 'POST', '/v1/articles', {
    key: keys.editor,
    body: { id, title: 'تغليف الهدايا', lang: 'ar', body: 'نغلف الهدايا مجانًا عند الطلب.', tags: ['orders'] },
  });
  expect(created.status).toBe(201);
  expect((await call(app, 'POST', `/v1/articles/${id}/publish`, { key: keys.editor, body: {} })).status).toBe(200);
  const edited = await call(app, 'PUT', `/v1/articles/${id}`, {
    key: keys.editor,
    body: { title: 'تغليف الهدايا', lang: 'ar', body: 'نغلف الهدايا مجانًا، وتصل مع بطاقة إهداء.', tags: ['orders'] },
  });
  expect(edited.status).toBe(200);
  expect((await call(app, 'POST', `/v1/articles/${id}/archive`, { key: keys.editor, body: {} })).status).toBe(200);
  const events = (await deps.events.read(0, 100)).filter((e) => e.data.articleId === id);
  expect(events.map((e) => [e.type, e.data.version])).toEqual([
    ['article.created', 1],
    ['article.published', 2],
    ['article.updated', 3],
    ['article.archived', 4],
  ]);
  expect(events.every((e) => e.conversationId === null)).toBe(true);
});
