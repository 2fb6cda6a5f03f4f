import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeJobs } from '../../src/knowledge/jobs.js';
import { knowledgeRoutes } from '../../src/knowledge/routes.js';
import { createApp } from '../../src/platform/http/app.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps({ handlers: (d) => new Map(Object.entries(knowledgeJobs(d))) });
  app = createApp(deps, [knowledgeRoutes]);
  keys = await keysByRole(deps.db);
});
afterAll(async () => deps.close());

interface ArticleOut {
  id: string;
  title: string;
  lang: string;
  tags: string[];
  team: string | null;
  questions: string[];
  body: string;
  status: string;
  version: number;
  updated_by: string | null;
}
interface Write {
  article: ArticleOut;
  changed: string[];
}
interface VersionOut extends Omit<ArticleOut, 'updated_by'> {
  changed_fields: string[];
  changed_by: string | null;
  change_note: string | null;
}

const camel = {
  id: 'camel-saddle-care',
  title: 'How do I look after a camel saddle?',
  lang: 'en',
  tags: ['saddlery', 'care'],
  team: 'saddlery',
  questions: ['how to polish a camel saddle', 'my saddle leather is cracking'],
  body: 'Wipe the camel saddle with a damp cloth, then rub in saddle oil once a month.\n\n## Cracked leather\nUse a leather balm and keep the saddle out of direct sun.',
};

async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function expectProblem(res: Response, status: number, type: string) {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await json<{ type: string; errors?: { path: string; message: string }[] } & Record<string, unknown>>(
    res,
    status,
  );
  expect(body.type).toBe(`/problems/${type}`);
  return body;
}

async function search(query: string, extra: Record<string, unknown> = {}, key = keys.agent) {
  await deps.jobs.idle();
  const res = await call(app, 'POST', '/v1/search', { key, body: { query, ...extra } });
  return (await json<{ articles: { articleId: string; score: number; passages: unknown[] }[] }>(res, 200)).articles;
}

async function chunkCount(id: string) {
  await deps.jobs.idle();
  const rows = await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chunks WHERE article_id = $1', [id]);
  return rows[0]!.n;
}

async function snapshot(id: string) {
  const article = await deps.db.query('SELECT * FROM articles WHERE id = $1', [id]);
  const versions = await deps.db.query('SELECT * FROM article_versions WHERE article_id = $1 ORDER BY version', [id]);
  return JSON.stringify({ article, versions });
}

describe('article lifecycle: versions, publish visibility, restore', () => {
  let editorId: string;

  it('creates a draft (version 1, who and what recorded) that is not retrievable', async () => {
    const res = await call(app, 'POST', '/v1/articles', { key: keys.editor, body: camel });
    const { article, changed } = await json<Write>(res, 201);
    expect(res.headers.get('location')).toBe('/v1/articles/camel-saddle-care');
    expect(article).toMatchObject({ ...camel, status: 'draft', version: 1 });
    expect(changed.sort()).toEqual(['body', 'lang', 'questions', 'status', 'tags', 'team', 'title']);
    const me = await json<{ id: string; name: string }>(
      await call(app, 'GET', '/v1/auth/me', { key: keys.editor }),
      200,
    );
    editorId = me.id;
    expect(article.updated_by).toBe(`test-editor <api_key:${editorId}>`);

    const { versions } = await json<{ versions: VersionOut[] }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.agent }),
      200,
    );
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ version: 1, changed_by: `test-editor <api_key:${editorId}>` });
    expect(versions[0]!.changed_fields.sort()).toEqual(changed.sort());

    expect(await chunkCount(camel.id)).toBe(0);
    expect(await search('how do I polish a camel saddle')).toEqual([]);
  });

  it('publishing makes it retrievable once the index job ran', async () => {
    const { article, changed } = await json<Write>(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/publish', { key: keys.editor }),
      200,
    );
    expect(article).toMatchObject({ status: 'published', version: 2 });
    expect(changed).toEqual(['status']);
    expect(await chunkCount(camel.id)).toBeGreaterThan(0);
    const hits = await search('how do I polish a camel saddle');
    expect(hits[0]?.articleId).toBe(camel.id);
    expect(hits[0]?.score).toBeGreaterThan(0);
    expect(hits[0]?.passages.length).toBeGreaterThan(0);

    // Publishing again changes nothing and adds no version.
    const again = await json<Write>(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/publish', { key: keys.admin }),
      200,
    );
    expect(again).toMatchObject({ changed: [], article: { version: 2 } });
  });

  it('every change is a version with its changed fields; an identical PUT adds none', async () => {
    const { id: _, ...content } = camel;
    const edited = { ...content, body: `${camel.body}\n\nNever use soap on the saddle.`, note: 'soap warning' };
    const { article, changed } = await json<Write>(
      await call(app, 'PUT', '/v1/articles/camel-saddle-care', { key: keys.admin, body: edited }),
      200,
    );
    expect(article).toMatchObject({ version: 3, status: 'published', body: edited.body });
    expect(changed).toEqual(['body']);

    const same = await json<Write>(
      await call(app, 'PUT', '/v1/articles/camel-saddle-care', { key: keys.editor, body: edited }),
      200,
    );
    expect(same).toMatchObject({ changed: [], article: { version: 3 } });

    const retitled = await json<Write>(
      await call(app, 'PUT', '/v1/articles/camel-saddle-care', {
        key: keys.editor,
        body: { ...edited, title: 'Caring for a camel saddle', tags: ['saddlery'], baseVersion: 3 },
      }),
      200,
    );
    expect(retitled.article.version).toBe(4);
    expect(retitled.changed.sort()).toEqual(['tags', 'title']);

    const { versions } = await json<{ versions: VersionOut[] }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.supervisor }),
      200,
    );
    expect(versions.map((v) => [v.version, v.changed_fields.sort()])).toEqual([
      [4, ['tags', 'title']],
      [3, ['body']],
      [2, ['status']],
      [1, ['body', 'lang', 'questions', 'status', 'tags', 'team', 'title']],
    ]);
    expect(versions[0]!.changed_by).toBe(`test-editor <api_key:${editorId}>`);
    expect(versions[1]!.changed_by).toMatch(/^test-admin <api_key:/);
    expect(versions[1]!.change_note).toBe('soap warning');
  });

  it('a stale baseVersion is a 409 and changes nothing', async () => {
    const before = await snapshot(camel.id);
    const { id: _, ...content } = camel;
    const res = await call(app, 'PUT', '/v1/articles/camel-saddle-care', {
      key: keys.editor,
      body: { ...content, body: 'An edit started from an old version.', baseVersion: 2 },
    });
    const problem = await expectProblem(res, 409, 'stale-version');
    expect(problem.currentVersion).toBe(4);
    expect(await snapshot(camel.id)).toBe(before);
  });

  it('two concurrent edits from the same version: one wins, the other is a 409', async () => {
    const { id: _, ...content } = camel;
    const [a, b] = await Promise.all(
      ['First editor wins.', 'Second editor wins.'].map((body) =>
        call(app, 'PUT', '/v1/articles/camel-saddle-care', {
          key: keys.editor,
          body: { ...content, body, baseVersion: 4 },
        }),
      ),
    );
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    const loser = a!.status === 409 ? a! : b!;
    expect(((await loser.json()) as { type: string }).type).toBe('/problems/stale-version');
    const { article } = await json<{ article: ArticleOut }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care', { key: keys.agent }),
      200,
    );
    expect(article.version).toBe(5);
    // Put the content back for the tests that follow (version 6).
    const { versions } = await json<{ versions: VersionOut[] }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.agent }),
      200,
    );
    expect(versions).toHaveLength(5);
    await json(await call(app, 'POST', '/v1/articles/camel-saddle-care/versions/4/restore', { key: keys.editor }), 200);
  });

  it('restoring a version creates version n+1 with that content and keeps the status', async () => {
    const v1 = (
      await json<{ version: VersionOut }>(
        await call(app, 'GET', '/v1/articles/camel-saddle-care/versions/1', { key: keys.agent }),
        200,
      )
    ).version;
    expect(v1).toMatchObject({ ...camel, status: 'draft', version: 1 });

    const { article, changed } = await json<Write>(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/versions/1/restore', { key: keys.editor }),
      200,
    );
    expect(article).toMatchObject({ ...camel, version: 7, status: 'published' });
    expect(changed.sort()).toEqual(['body', 'tags', 'title']);
    const v7 = (
      await json<{ version: VersionOut }>(
        await call(app, 'GET', '/v1/articles/camel-saddle-care/versions/7', { key: keys.agent }),
        200,
      )
    ).version;
    const fields = ({ title, lang, tags, team, questions, body }: VersionOut) => ({
      title,
      lang,
      tags,
      team,
      questions,
      body,
    });
    expect(fields(v7)).toEqual(fields(v1));
    expect(v7.change_note).toBe('restored version 1');
    // The restored content is what is searchable now.
    expect((await search('how do I polish a camel saddle'))[0]?.articleId).toBe(camel.id);
    const passages = await deps.db.query<{ content: string }>(
      "SELECT content FROM chunks WHERE article_id = $1 AND kind = 'passage'",
      [camel.id],
    );
    expect(passages.map((p) => p.content).join('\n')).not.toContain('soap');
  });

  it('archiving removes it from retrieval', async () => {
    const { article } = await json<Write>(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/archive', { key: keys.editor }),
      200,
    );
    expect(article).toMatchObject({ status: 'archived', version: 8 });
    expect(await chunkCount(camel.id)).toBe(0);
    expect(await search('how do I polish a camel saddle')).toEqual([]);
  });

  it('restore of an unknown version or article is 404', async () => {
    await expectProblem(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/versions/99/restore', { key: keys.editor }),
      404,
      'not-found',
    );
    await expectProblem(await call(app, 'GET', '/v1/articles/nope/versions/1', { key: keys.agent }), 404, 'not-found');
    await expectProblem(await call(app, 'GET', '/v1/articles/nope', { key: keys.agent }), 404, 'not-found');
    await expectProblem(await call(app, 'GET', '/v1/articles/nope/versions', { key: keys.agent }), 404, 'not-found');
    await expectProblem(await call(app, 'POST', '/v1/articles/nope/publish', { key: keys.editor }), 404, 'not-found');
  });
});

describe('roles', () => {
  it('agents and supervisors read and search but every write is 403 and changes nothing', async () => {
    const id = 'roles-check';
    await json(
      await call(app, 'POST', '/v1/articles', {
        key: keys.editor,
        body: { ...camel, id, title: 'Role check', status: 'published' },
      }),
      201,
    );
    await deps.jobs.idle();
    const before = await snapshot(id);
    const { id: _, ...content } = camel;
    for (const role of ['agent', 'supervisor'] as const) {
      const key = keys[role];
      await expectProblem(
        await call(app, 'POST', '/v1/articles', { key, body: { ...camel, id: `by-${role}` } }),
        403,
        'forbidden',
      );
      await expectProblem(
        await call(app, 'PUT', `/v1/articles/${id}`, { key, body: { ...content, title: 'Hijacked' } }),
        403,
        'forbidden',
      );
      for (const action of ['publish', 'archive', 'versions/1/restore']) {
        await expectProblem(await call(app, 'POST', `/v1/articles/${id}/${action}`, { key }), 403, 'forbidden');
      }
      expect((await call(app, 'GET', `/v1/articles/${id}`, { key })).status).toBe(200);
      expect((await call(app, 'GET', '/v1/articles', { key })).status).toBe(200);
      expect((await call(app, 'GET', `/v1/articles/${id}/versions`, { key })).status).toBe(200);
      expect((await call(app, 'POST', '/v1/search', { key, body: { query: 'saddle' } })).status).toBe(200);
    }
    await deps.jobs.idle();
    expect(await snapshot(id)).toBe(before);
    expect(await deps.db.query("SELECT id FROM articles WHERE id LIKE 'by-%'")).toEqual([]);
    await expectProblem(await call(app, 'GET', '/v1/articles'), 401, 'unauthenticated');
    await expectProblem(await call(app, 'POST', '/v1/search', { body: { query: 'x' } }), 401, 'unauthenticated');
  });
});

describe('bad input is problem+json naming the field, and creates nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['empty body', { ...camel, id: 'bad-1', body: '   ' }, 'body'],
    ['unknown language', { ...camel, id: 'bad-2', lang: 'fr' }, 'lang'],
    ['id with a slash', { ...camel, id: 'bad/3' }, 'id'],
    ['id with a space', { ...camel, id: 'bad 4' }, 'id'],
    ['empty title', { ...camel, id: 'bad-5', title: '' }, 'title'],
    ['unknown status', { ...camel, id: 'bad-6', status: 'live' }, 'status'],
    ['unknown field', { ...camel, id: 'bad-7', colour: 'red' }, 'colour'],
    ['missing id', { ...camel, id: undefined }, 'id'],
  ];
  for (const [name, body, field] of cases) {
    it(name, async () => {
      const before = await deps.db.query('SELECT id, version FROM articles ORDER BY id');
      const problem = await expectProblem(
        await call(app, 'POST', '/v1/articles', { key: keys.editor, body }),
        400,
        'validation-failed',
      );
      expect(problem.errors?.map((e) => e.path)).toContain(field);
      expect(await deps.db.query('SELECT id, version FROM articles ORDER BY id')).toEqual(before);
    });
  }

  it('an empty request body names the required fields', async () => {
    const res = await app.request('/v1/articles', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.editor}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const problem = await expectProblem(res, 400, 'validation-failed');
    expect(problem.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['id', 'title', 'lang', 'body']));
  });

  it('a taken id is 409 article-exists', async () => {
    const before = await snapshot(camel.id);
    await expectProblem(
      await call(app, 'POST', '/v1/articles', { key: keys.editor, body: { ...camel, title: 'Another' } }),
      409,
      'article-exists',
    );
    expect(await snapshot(camel.id)).toBe(before);
  });

  it('PUT validates like POST and cannot rename the id', async () => {
    const { id: _, ...content } = camel;
    const bad = await expectProblem(
      await call(app, 'PUT', `/v1/articles/${camel.id}`, { key: keys.editor, body: { ...content, lang: 'de' } }),
      400,
      'validation-failed',
    );
    expect(bad.errors?.map((e) => e.path)).toEqual(['lang']);
    const renamed = await expectProblem(
      await call(app, 'PUT', `/v1/articles/${camel.id}`, { key: keys.editor, body: { ...camel, id: 'other' } }),
      400,
      'validation-failed',
    );
    expect(renamed.errors?.map((e) => e.path)).toEqual(['id']);
    await expectProblem(
      await call(app, 'PUT', '/v1/articles/missing', { key: keys.editor, body: content }),
      404,
      'not-found',
    );
  });

  it('search needs a query; version numbers must be numbers', async () => {
    const problem = await expectProblem(
      await call(app, 'POST', '/v1/search', { key: keys.agent, body: { query: ' ', lang: 'fr' } }),
      400,
      'validation-failed',
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['lang', 'query']);
    await expectProblem(
      await call(app, 'GET', `/v1/articles/${camel.id}/versions/latest`, { key: keys.agent }),
      400,
      'validation-failed',
    );
  });
});

describe('listing', () => {
  it('filters by status, language and tag, with paging', async () => {
    const ar = {
      id: 'dates-ar',
      title: 'كيف أحفظ التمر؟',
      lang: 'ar',
      tags: ['care', 'dates'],
      team: null,
      questions: [],
      body: 'احفظ التمر في مكان بارد وجاف.',
      status: 'published',
    };
    await json(await call(app, 'POST', '/v1/articles', { key: keys.editor, body: ar }), 201);
    const list = async (qs: string) =>
      json<{ articles: { id: string; body?: string }[]; total: number }>(
        await call(app, 'GET', `/v1/articles${qs}`, { key: keys.agent }),
        200,
      );
    const all = await list('');
    expect(all.articles.map((a) => a.id)).toEqual(['camel-saddle-care', 'dates-ar', 'roles-check']);
    expect(all.total).toBe(3);
    expect(all.articles[0]!.body).toBeUndefined();
    expect((await list('?lang=ar')).articles.map((a) => a.id)).toEqual(['dates-ar']);
    expect((await list('?status=archived')).articles.map((a) => a.id)).toEqual(['camel-saddle-care']);
    expect((await list('?status=published&tag=care')).articles.map((a) => a.id)).toEqual(['dates-ar', 'roles-check']);
    const page = await list('?limit=1&offset=1');
    expect(page).toMatchObject({ total: 3, articles: [{ id: 'dates-ar' }] });
    await expectProblem(await call(app, 'GET', '/v1/articles?lang=fr', { key: keys.agent }), 400, 'validation-failed');
    await expectProblem(await call(app, 'GET', '/v1/articles?limit=0', { key: keys.agent }), 400, 'validation-failed');
  });

  it('search filters by language and tags', async () => {
    expect((await search('احفظ التمر', { lang: 'ar' }))[0]?.articleId).toBe('dates-ar');
    expect(await search('احفظ التمر', { tags: ['nothing-like-this'] })).toEqual([]);
    const en = await search('saddle', { lang: 'en' });
    expect(en.map((a) => a.articleId)).toEqual(['roles-check']);
  });
});
