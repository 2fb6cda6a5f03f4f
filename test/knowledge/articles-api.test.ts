import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { frontMatterSchema } from '../../src/knowledge/article.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
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
  sourcePath: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}
interface Write {
  article: ArticleOut;
  changed: string[];
}
interface VersionOut extends Omit<ArticleOut, 'sourcePath' | 'createdAt' | 'updatedAt' | 'updatedBy'> {
  changedFields: string[];
  changedBy: string | null;
  changeNote: string | null;
  changedAt: string;
}

const ARTICLE_KEYS = [
  'body',
  'createdAt',
  'id',
  'lang',
  'questions',
  'sourcePath',
  'status',
  'tags',
  'team',
  'title',
  'updatedAt',
  'updatedBy',
  'version',
];
const VERSION_SUMMARY_KEYS = ['changeNote', 'changedAt', 'changedBy', 'changedFields', 'status', 'title', 'version'];

const camel = {
  id: 'camel-saddle-care',
  title: 'How do I look after a camel saddle?',
  lang: 'en',
  tags: ['saddlery', 'care'],
  team: 'saddlery',
  questions: ['how to polish a camel saddle', 'my saddle leather is cracking'],
  body: 'Wipe the camel saddle with a damp cloth, then rub in saddle oil once a month.\n\n## Cracked leather\nUse a leather balm and keep the saddle out of direct sun.',
};

/** Every key of a JSON value (objects inside arrays too) that is not camelCase, as paths. */
function snakeKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => snakeKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k.includes('_') ? [`${path}.${k}`] : []),
    ...snakeKeys(v, `${path}.${k}`),
  ]);
}

/** Parses a response, checks its status, and that the API kept its one casing (camelCase keys). */
async function json<T>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as T;
  expect(snakeKeys(body), `${res.url || 'response'} has snake_case keys`).toEqual([]);
  return body;
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
    expect(article).toMatchObject({ ...camel, status: 'draft', version: 1, sourcePath: null });
    expect(Object.keys(article).sort()).toEqual(ARTICLE_KEYS);
    expect(new Date(article.createdAt).toISOString()).toBe(article.createdAt);
    expect(article.updatedAt).toBe(article.createdAt);
    expect(changed.sort()).toEqual(['body', 'lang', 'questions', 'status', 'tags', 'team', 'title']);
    const me = await json<{ id: string; name: string }>(
      await call(app, 'GET', '/v1/auth/me', { key: keys.editor }),
      200,
    );
    editorId = me.id;
    expect(article.updatedBy).toBe(`test-editor <api_key:${editorId}>`);

    const { versions } = await json<{ versions: VersionOut[] }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.editor }),
      200,
    );
    expect(versions).toHaveLength(1);
    expect(Object.keys(versions[0]!).sort()).toEqual(VERSION_SUMMARY_KEYS);
    expect(versions[0]).toMatchObject({
      version: 1,
      changedBy: `test-editor <api_key:${editorId}>`,
      changeNote: 'created',
    });
    expect(versions[0]!.changedFields.sort()).toEqual(changed.sort());

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
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.editor }),
      200,
    );
    expect(versions.map((v) => [v.version, v.changedFields.sort()])).toEqual([
      [4, ['tags', 'title']],
      [3, ['body']],
      [2, ['status']],
      [1, ['body', 'lang', 'questions', 'status', 'tags', 'team', 'title']],
    ]);
    expect(versions[0]!.changedBy).toBe(`test-editor <api_key:${editorId}>`);
    expect(versions[1]!.changedBy).toMatch(/^test-admin <api_key:/);
    expect(versions[1]!.changeNote).toBe('soap warning');
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
      await call(app, 'GET', '/v1/articles/camel-saddle-care', { key: keys.editor }),
      200,
    );
    expect(article.version).toBe(5);
    // Put the content back for the tests that follow (version 6).
    const { versions } = await json<{ versions: VersionOut[] }>(
      await call(app, 'GET', '/v1/articles/camel-saddle-care/versions', { key: keys.editor }),
      200,
    );
    expect(versions).toHaveLength(5);
    await json(await call(app, 'POST', '/v1/articles/camel-saddle-care/versions/4/restore', { key: keys.editor }), 200);
  });

  it('restoring a version creates version n+1 with that content and keeps the status', async () => {
    const v1 = (
      await json<{ version: VersionOut }>(
        await call(app, 'GET', '/v1/articles/camel-saddle-care/versions/1', { key: keys.editor }),
        200,
      )
    ).version;
    expect(v1).toMatchObject({ ...camel, status: 'draft', version: 1 });
    expect(Object.keys(v1).sort()).toEqual(
      [...VERSION_SUMMARY_KEYS, 'body', 'id', 'lang', 'questions', 'tags', 'team'].sort(),
    );

    const { article, changed } = await json<Write>(
      await call(app, 'POST', '/v1/articles/camel-saddle-care/versions/1/restore', { key: keys.editor }),
      200,
    );
    expect(article).toMatchObject({ ...camel, version: 7, status: 'published' });
    expect(changed.sort()).toEqual(['body', 'tags', 'title']);
    const v7 = (
      await json<{ version: VersionOut }>(
        await call(app, 'GET', '/v1/articles/camel-saddle-care/versions/7', { key: keys.editor }),
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
    expect(v7.changeNote).toBe('restored version 1');
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
    await expectProblem(await call(app, 'GET', '/v1/articles/nope/versions/1', { key: keys.editor }), 404, 'not-found');
    await expectProblem(await call(app, 'GET', '/v1/articles/nope', { key: keys.editor }), 404, 'not-found');
    await expectProblem(await call(app, 'GET', '/v1/articles/nope/versions', { key: keys.editor }), 404, 'not-found');
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
      // Version history (drafts, old content, editors' ids) is for editors only (issue 19).
      expect((await call(app, 'GET', `/v1/articles/${id}/versions`, { key })).status).toBe(403);
      const read = (await (await call(app, 'GET', `/v1/articles/${id}`, { key })).json()) as { article: object };
      expect(read.article).toMatchObject({ updatedBy: null });
      expect((await call(app, 'GET', '/v1/articles/camel-saddle-care', { key })).status).toBe(404); // a draft
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
      await call(app, 'GET', `/v1/articles/${camel.id}/versions/latest`, { key: keys.editor }),
      400,
      'validation-failed',
    );
  });

  it('a version past the int4 range is a 400 naming the version, not a database error', async () => {
    for (const version of ['2147483648', '99999999999999999999', '0', '-1', '1.5']) {
      const problem = await expectProblem(
        await call(app, 'GET', `/v1/articles/x/versions/${version}`, { key: keys.editor }),
        400,
        'validation-failed',
      );
      expect(new Set(problem.errors?.map((e) => e.path)), version).toEqual(new Set(['version']));
    }
    await expectProblem(
      await call(app, 'POST', `/v1/articles/${camel.id}/versions/2147483648/restore`, { key: keys.editor }),
      400,
      'validation-failed',
    );
    // The largest int4 is a valid number for a version that does not exist.
    await expectProblem(
      await call(app, 'GET', `/v1/articles/${camel.id}/versions/2147483647`, { key: keys.editor }),
      404,
      'not-found',
    );
    const { id: _, ...content } = camel;
    const stale = await expectProblem(
      await call(app, 'PUT', `/v1/articles/${camel.id}`, {
        key: keys.editor,
        body: { ...content, baseVersion: 2147483648 },
      }),
      400,
      'validation-failed',
    );
    expect(stale.errors?.map((e) => e.path)).toEqual(['baseVersion']);
  });

  it('request bodies take camelCase only: the old snake_case names are unknown fields', async () => {
    const before = await snapshot(camel.id);
    const { id: _, ...content } = camel;
    const put = await expectProblem(
      await call(app, 'PUT', `/v1/articles/${camel.id}`, { key: keys.editor, body: { ...content, base_version: 1 } }),
      400,
      'validation-failed',
    );
    expect(put.errors).toEqual([{ path: 'base_version', message: 'unknown field: remove it' }]);
    const post = await expectProblem(
      await call(app, 'POST', '/v1/articles', {
        key: keys.editor,
        body: { ...camel, id: 'snake-case', source_path: 'a.md' },
      }),
      400,
      'validation-failed',
    );
    expect(post.errors?.map((e) => e.path)).toEqual(['source_path']);
    expect(await snapshot(camel.id)).toBe(before);
  });

  it('writes answer 415 for a body that is not JSON and 413 for one past the limit', async () => {
    await expectProblem(
      await call(app, 'POST', '/v1/articles', {
        key: keys.editor,
        body: 'id=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported-media-type',
    );
    const tooBig = 'x'.repeat(deps.config.BODY_LIMIT_BYTES + 1);
    await expectProblem(
      await call(app, 'POST', '/v1/search', { key: keys.agent, body: { query: tooBig } }),
      413,
      'body-too-large',
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
        await call(app, 'GET', `/v1/articles${qs}`, { key: keys.editor }),
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
    await expectProblem(await call(app, 'GET', '/v1/articles?lang=fr', { key: keys.editor }), 400, 'validation-failed');
    await expectProblem(await call(app, 'GET', '/v1/articles?limit=0', { key: keys.editor }), 400, 'validation-failed');
  });

  it('search answers exactly the documented camelCase fields', async () => {
    await deps.jobs.idle();
    const result = await json<{ articles: Record<string, unknown>[] } & Record<string, unknown>>(
      await call(app, 'POST', '/v1/search', { key: keys.agent, body: { query: 'how to keep dates fresh' } }),
      200,
    );
    expect(Object.keys(result).sort()).toEqual(['articles', 'lang', 'query', 'queryTerms', 'unknownTerms']);
    expect(result.articles.length).toBeGreaterThan(0);
    for (const a of result.articles) {
      expect(Object.keys(a).sort()).toEqual([
        'articleId',
        'coverage',
        'intent',
        'lang',
        'passages',
        'score',
        'similarity',
        'tags',
        'team',
        'title',
      ]);
      for (const p of a.passages as Record<string, unknown>[]) {
        expect(Object.keys(p).sort()).toEqual(['chunkId', 'content', 'kind', 'similarity']);
      }
    }
  });

  it('search filters by language and tags', async () => {
    expect((await search('احفظ التمر', { lang: 'ar' }))[0]?.articleId).toBe('dates-ar');
    expect(await search('احفظ التمر', { tags: ['nothing-like-this'] })).toEqual([]);
    const en = await search('saddle', { lang: 'en' });
    expect(en.map((a) => a.articleId)).toEqual(['roles-check']);
  });
});

describe('the OpenAPI document tells the truth', () => {
  interface Op {
    parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
    responses: Record<string, { content?: Record<string, unknown> }>;
  }
  let doc: { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    doc = (await (await app.request('/openapi.json')).json()) as typeof doc;
  });

  it('lists every problem each article route can answer, as problem+json', () => {
    const writes = ['400', '401', '403', '413', '415'];
    const reads = ['400', '401', '403'];
    const expected: Record<string, string[]> = {
      'get /v1/articles': ['200', ...reads],
      'post /v1/articles': ['201', ...writes, '409'],
      'get /v1/articles/{id}': ['200', ...reads, '404'],
      'put /v1/articles/{id}': ['200', ...writes, '404', '409'],
      'post /v1/articles/{id}/publish': ['200', ...writes, '404', '409'],
      'post /v1/articles/{id}/archive': ['200', ...writes, '404', '409'],
      'get /v1/articles/{id}/versions': ['200', ...reads, '404'],
      'get /v1/articles/{id}/versions/{version}': ['200', ...reads, '404'],
      'post /v1/articles/{id}/versions/{version}/restore': ['200', ...writes, '404', '409'],
      'post /v1/search': ['200', ...writes, '503'],
    };
    const actual = Object.fromEntries(
      Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/v1/articles') || path === '/v1/search')
        .flatMap(([path, methods]) =>
          Object.entries(methods).map(([m, op]) => [`${m} ${path}`, Object.keys(op.responses).sort()]),
        ),
    );
    expect(actual).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()])));
    expect(doc.paths['/v1/articles/{id}']!.get!.responses['404']!.content).toHaveProperty(['application/problem+json']);
    for (const [key, op] of Object.entries(actual)) {
      const [m, path] = key.split(' ') as [string, string];
      for (const status of op.filter((s) => Number(s) >= 400)) {
        expect(doc.paths[path]![m]!.responses[status]!.content, `${key} ${status}`).toHaveProperty([
          'application/problem+json',
        ]);
      }
    }
  });

  it('path parameters: the id pattern is the article id rule, versions are positive int4', () => {
    const params = doc.paths['/v1/articles/{id}/versions/{version}']!.get!.parameters!;
    const id = params.find((p) => p.name === 'id')!.schema;
    const version = params.find((p) => p.name === 'version')!.schema;
    const idRule = frontMatterSchema.shape.id.unwrap();
    expect(id.pattern).toBe(z.toJSONSchema(idRule).pattern);
    const pattern = new RegExp(id.pattern as string);
    for (const ok of ['refund-timeline-ar', 'مدة-الاسترداد', 'v1.2_x', 'a'.repeat(200)]) {
      expect(pattern.test(ok), ok).toBe(idRule.safeParse(ok).success);
      expect(pattern.test(ok), ok).toBe(true);
    }
    for (const bad of ['a/b', 'a b', 'a\\b', '', 'a'.repeat(201)]) {
      expect(pattern.test(bad), bad).toBe(false);
      expect(idRule.safeParse(bad).success, bad).toBe(false);
    }
    expect(version).toMatchObject({ type: 'integer', minimum: 1, maximum: 2147483647 });
  });

  it('every documented property name is camelCase', () => {
    const names = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(names);
      if (value === null || typeof value !== 'object') return [];
      return Object.entries(value).flatMap(([k, v]) =>
        k === 'properties' && v && typeof v === 'object' ? [...Object.keys(v), ...names(v)] : names(v),
      );
    };
    const documented = names(doc);
    expect(documented).toEqual(expect.arrayContaining(['createdAt', 'updatedBy', 'changedFields', 'lastUsedAt']));
    expect(documented.filter((n) => n.includes('_'))).toEqual([]);
  });
});
