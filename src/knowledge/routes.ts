import { OpenAPIHono, z } from '@hono/zod-openapi';
import { type Principal, ROLES } from '../auth/roles.js';
import type { Queryable } from '../platform/db/db.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { ARTICLE_STATUSES, type Article, type ArticleContent, frontMatterSchema, MAX_BODY_CHARS } from './article.js';
import { articleEvent } from './article-events.js';
import {
  type ArticleVersion,
  contentOf,
  countArticles,
  createArticle,
  FIELDS,
  getArticle,
  getVersion,
  listArticles,
  listVersions,
  updateArticle,
  VersionConflictError,
} from './articles.js';
import { indexSoon } from './jobs.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { Retrieval } from './retrieve.js';

const WRITERS = ['editor', 'admin'] as const;
const READERS = ROLES;
/** Who reads drafts, archived articles, old versions and who edited them; the others read what customers read. */
const editsArticles = (p: Principal | undefined) => Boolean(p && (WRITERS as readonly string[]).includes(p.role));

export const LangSchema = z.enum(['ar', 'en'], { error: 'must be ar or en' }).openapi({ example: 'ar' });
const StatusSchema = z.enum(ARTICLE_STATUSES, { error: 'must be draft, published or archived' });
const fm = frontMatterSchema.shape;

/**
 * Any id the file format allows: the front matter's rule (frontMatterSchema.id), so every imported
 * article is addressable. A fresh schema, since the imported one may predate the OpenAPI extension;
 * test/knowledge/articles-api.test.ts pins the published pattern to the front matter's.
 */
export const IdParam = z
  .string()
  .regex(/^[^\s/\\]{1,200}$/, 'must be 1–200 characters without spaces or slashes')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'refund-timeline-ar' });
/** New ids are also safe as file names and in URLs. */
const NewId = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._-]{0,199}$/u,
    'must be 1–200 letters, digits, ".", "_" or "-", starting with a letter or digit (no spaces or slashes)',
  )
  .openapi({ example: 'refund-timeline-ar' });
/** Versions are stored as Postgres `int`: anything past int4 is a validation problem, not a query error. */
const MAX_VERSION = 2_147_483_647;
const VersionParam = z.coerce
  .number({ error: 'must be a version number' })
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(MAX_VERSION, `must be at most ${MAX_VERSION}`)
  .openapi({ param: { name: 'version', in: 'path' }, example: 2 });

export const contentFields = {
  title: fm.title,
  lang: LangSchema,
  tags: fm.tags,
  team: z.string().trim().min(1).max(60).nullable().default(null),
  questions: fm.questions,
  body: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_BODY_CHARS, `must be at most ${MAX_BODY_CHARS} characters`),
};
const note = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .optional()
  .openapi({ description: 'Why this change (kept with the version)' });

const CreateBody = z
  .strictObject({
    id: NewId,
    ...contentFields,
    status: StatusSchema.default('draft'),
    note,
  })
  .openapi('ArticleCreate');
const UpdateBody = z
  .strictObject({
    ...contentFields,
    status: StatusSchema.optional().openapi({ description: 'Omit to keep the current status' }),
    note,
    baseVersion: z
      .number()
      .int()
      .min(1)
      .max(MAX_VERSION)
      .optional()
      .openapi({ description: 'The version this edit started from; a newer stored version answers 409 stale-version' }),
  })
  .openapi('ArticleUpdate');

const ArticleSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    lang: LangSchema,
    tags: z.array(z.string()),
    team: z.string().nullable(),
    questions: z.array(z.string()),
    body: z.string(),
    status: StatusSchema,
    version: z.number().int(),
    sourcePath: z.string().nullable().openapi({ description: 'The Markdown file it was imported from, if any' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string().nullable().openapi({ description: 'Who saved the current version: "Name <staff:id>"' }),
  })
  .openapi('Article');
const ArticleSummarySchema = ArticleSchema.omit({ body: true }).openapi('ArticleSummary');
const WriteResult = z
  .object({
    article: ArticleSchema,
    changed: z.array(z.string()).openapi({ description: 'Fields this write changed (empty: no new version)' }),
  })
  .openapi('ArticleWrite');
const VersionSummarySchema = z
  .object({
    version: z.number().int(),
    title: z.string(),
    status: StatusSchema,
    changedFields: z.array(z.string()),
    changeNote: z.string().nullable(),
    changedBy: z.string().nullable(),
    changedAt: z.string(),
  })
  .openapi('ArticleVersionSummary');
const VersionSchema = VersionSummarySchema.extend({
  id: z.string(),
  lang: LangSchema,
  tags: z.array(z.string()),
  team: z.string().nullable(),
  questions: z.array(z.string()),
  body: z.string(),
}).openapi('ArticleVersion');

const SearchBody = z
  .strictObject({
    query: z.string().trim().min(1, 'must not be empty').max(2000),
    lang: LangSchema.optional(),
    tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
    limit: z.number().int().min(1).max(20).default(5),
  })
  .openapi('SearchRequest');
const SearchResult = z
  .object({
    query: z.string(),
    lang: LangSchema,
    queryTerms: z.array(z.string()),
    unknownTerms: z
      .array(z.string())
      .openapi({ description: 'Query terms found nowhere in the knowledge base (a sign it is out of scope)' }),
    articles: z.array(
      z.object({
        articleId: z.string(),
        title: z.string(),
        lang: LangSchema,
        team: z.string().nullable(),
        tags: z.array(z.string()),
        score: z.number(),
        similarity: z.number(),
        coverage: z.number(),
        intent: z.number().openapi({ description: 'The intent model’s probability for this article (0..1)' }),
        passages: z.array(
          z.object({ chunkId: z.number().int(), kind: z.string(), content: z.string(), similarity: z.number() }),
        ),
      }),
    ),
  })
  .openapi('SearchResult');

const iso = (d: Date | string) => new Date(d).toISOString();
const articleOut = (a: Article) => ({
  id: a.id,
  title: a.title,
  lang: a.lang,
  tags: a.tags,
  team: a.team,
  questions: a.questions,
  body: a.body,
  status: a.status,
  version: a.version,
  sourcePath: a.source_path,
  createdAt: iso(a.created_at),
  updatedAt: iso(a.updated_at),
  updatedBy: a.updated_by,
});
const articleSummaryOut = (a: Article) => {
  const { body: _, ...summary } = articleOut(a);
  return summary;
};
const versionSummaryOut = (v: ArticleVersion) => ({
  version: v.version,
  title: v.title,
  status: v.status,
  changedFields: v.changed_fields,
  changeNote: v.change_note,
  changedBy: v.changed_by,
  changedAt: iso(v.changed_at),
});
const versionOut = (v: ArticleVersion) => ({
  ...versionSummaryOut(v),
  id: v.id,
  lang: v.lang,
  tags: v.tags,
  team: v.team,
  questions: v.questions,
  body: v.body,
});
const searchOut = (r: Retrieval) => ({
  query: r.query,
  lang: r.lang,
  queryTerms: r.queryTerms,
  unknownTerms: r.unknownTerms,
  articles: r.articles.map((a) => ({
    articleId: a.articleId,
    title: a.title,
    lang: a.lang,
    team: a.team,
    tags: a.tags,
    score: a.score,
    similarity: a.similarity,
    coverage: a.coverage,
    intent: a.intent,
    passages: a.passages.map((p) => ({
      chunkId: p.chunkId,
      kind: p.kind,
      content: p.content,
      similarity: p.similarity,
    })),
  })),
});

/** The body limit and the JSON-only check run before every POST/PUT route, with or without a body schema. */
const writeProblems = {
  413: problemResponse('The body is larger than BODY_LIMIT_BYTES (body-too-large)'),
  415: problemResponse('The body is not application/json (unsupported-media-type)'),
};

/** Who changed it, as stored in changed_by / updated_by (changedBy / updatedBy in the API): "Name <staff:id>" or "Name <api_key:id>". */
export function actorOf(p: Principal): string {
  return `${p.name} <${p.kind}:${p.id}>`;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

const articleExists = (id: string) =>
  problems.conflict('article-exists', `An article with the id "${id}" already exists; edit it with PUT instead.`);
const staleVersion = (id: string, base: number, current: number) =>
  problems.conflict(
    'stale-version',
    `Article "${id}" is at version ${current}, newer than the version ${base} this edit started from. Reload it, reapply the edit and save again.`,
    { currentVersion: current },
  );

const archivedArticle = (id: string) =>
  problems.conflict(
    'article-archived',
    `Article "${id}" is archived, so it cannot be edited. Publish it again (POST /v1/articles/${id}/publish) or restore a version, then edit it.`,
  );

/** What a restore leaves behind, in words the editor console shows as they are. */
export function restoreNote(from: number, to: number, status: string): string {
  const then =
    status === 'published'
      ? 'it stays published: customers get the restored content once it is indexed'
      : status === 'draft'
        ? 'it stays a draft: publish it for customers to get it'
        : 'it stays archived: publish it again for customers to get it';
  return `Version ${from}'s content is now version ${to}; ${then}.`;
}

const idParams = z.object({ id: IdParam });
const versionParams = z.object({ id: IdParam, version: VersionParam });

/**
 * The editor console's API over articles: list and read for every staff role, writes for
 * editors (and admins). Every write is a new version with who changed what; the index job
 * then brings chunks and embeddings in line, so only published articles are retrievable.
 */
export function knowledgeRoutes(deps: Platform & { kb: KnowledgeBase }) {
  const { db, events, jobs, kb, log } = deps;
  const app = new OpenAPIHono<AppEnv>();

  async function mustGet(q: Queryable, id: string): Promise<Article> {
    const article = await getArticle(q, id);
    if (!article) throw problems.notFound('Article', id);
    return article;
  }

  const indexLater = (article: Article) => indexSoon({ jobs, kb, log }, article);

  /** Applies a change under the version guard; a concurrent save becomes a 409. */
  async function write(
    id: string,
    change: (current: Article) => ArticleContent,
    meta: { by: string; note?: string | null; baseVersion?: number; refuseArchived?: boolean },
  ) {
    try {
      const result = await events.transaction(async (tx, emit) => {
        const current = await mustGet(tx, id);
        if (meta.baseVersion !== undefined && meta.baseVersion !== current.version) {
          throw staleVersion(id, meta.baseVersion, current.version);
        }
        if (meta.refuseArchived && current.status === 'archived') throw archivedArticle(id);
        const saved = await updateArticle(tx, current, change(current), { by: meta.by, note: meta.note ?? null });
        if (saved.changed.length) await emit(articleEvent(saved.article, saved.changed));
        return saved;
      });
      if (result.changed.length) await indexLater(result.article);
      return result;
    } catch (error) {
      if (error instanceof VersionConflictError) {
        const now = await mustGet(db, id);
        throw staleVersion(id, error.expected, now.version);
      }
      throw error;
    }
  }

  app.openapi(
    route(READERS, {
      method: 'get',
      path: '/v1/articles',
      tags: ['knowledge'],
      summary: 'List articles (without bodies), filtered by status, language, tag, team and search words',
      description:
        'Editors and admins see every status and who edited; agents and supervisors see published articles only.',
      request: {
        query: z.object({
          status: StatusSchema.optional(),
          lang: LangSchema.optional(),
          tag: z.string().min(1).max(60).optional(),
          team: z.string().min(1).max(60).optional(),
          q: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .optional()
            .openapi({ description: 'Words found in the title, example questions or body' }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({
            articles: z.array(ArticleSummarySchema),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
          'A page of articles, ordered by id',
        ),
      },
    }),
    async (c) => {
      const asked = c.req.valid('query');
      const editor = editsArticles(c.get('principal'));
      // Agents and supervisors (and their keys) list what customers can read, without editors' ids.
      const q = editor ? asked : { ...asked, status: 'published' as const };
      const [rows, total] = await Promise.all([listArticles(db, q), countArticles(db, q)]);
      const out = rows.map(articleSummaryOut).map((a) => (editor ? a : { ...a, updatedBy: null }));
      return c.json({ articles: out, total, limit: q.limit, offset: q.offset }, 200);
    },
  );

  app.openapi(
    route(READERS, {
      method: 'get',
      path: '/v1/articles/{id}',
      tags: ['knowledge'],
      summary: 'Read an article (its current version)',
      description: 'Agents and supervisors read published articles only (any other is a 404), without who edited them.',
      request: { params: idParams },
      responses: {
        200: jsonResponse(z.object({ article: ArticleSchema }), 'The article'),
        404: problemResponse('No such article'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const article = await mustGet(db, id);
      if (editsArticles(c.get('principal'))) return c.json({ article: articleOut(article) }, 200);
      if (article.status !== 'published') throw problems.notFound('Article', id);
      return c.json({ article: { ...articleOut(article), updatedBy: null } }, 200);
    },
  );

  app.openapi(
    route(WRITERS, {
      method: 'post',
      path: '/v1/articles',
      tags: ['knowledge'],
      summary: 'Create an article (a draft unless a status is given)',
      request: { body: jsonBody(CreateBody) },
      responses: {
        201: jsonResponse(WriteResult, 'Created as version 1'),
        409: problemResponse('The id is taken (article-exists)'),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { note: why, ...content } = c.req.valid('json');
      const by = actorOf(c.get('principal')!);
      let article: Article;
      try {
        article = await events.transaction(async (tx, emit) => {
          if (await getArticle(tx, content.id)) throw articleExists(content.id);
          const created = await createArticle(tx, content, { by, note: why ?? 'created' });
          await emit(articleEvent(created, [...FIELDS], true));
          return created;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw articleExists(content.id);
        throw error;
      }
      await indexLater(article);
      c.header('Location', `/v1/articles/${encodeURIComponent(article.id)}`);
      return c.json({ article: articleOut(article), changed: [...FIELDS] }, 201);
    },
  );

  app.openapi(
    route(WRITERS, {
      method: 'put',
      path: '/v1/articles/{id}',
      tags: ['knowledge'],
      summary: 'Replace an article’s content; a new version when anything changed',
      request: { params: idParams, body: jsonBody(UpdateBody) },
      responses: {
        200: jsonResponse(WriteResult, 'Saved (or unchanged: `changed` is empty and no version is added)'),
        404: problemResponse('No such article'),
        409: problemResponse(
          'The article changed since baseVersion, or a concurrent save won (stale-version, with currentVersion), or it is archived (article-archived)',
        ),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { note: why, baseVersion, status, ...fields } = c.req.valid('json');
      const result = await write(id, (current) => ({ id, ...fields, status: status ?? current.status }), {
        by: actorOf(c.get('principal')!),
        note: why,
        baseVersion,
        refuseArchived: true,
      });
      return c.json({ article: articleOut(result.article), changed: result.changed }, 200);
    },
  );

  for (const [action, status, summary] of [
    ['publish', 'published', 'Publish an article: it becomes retrievable once the index job ran'],
    ['archive', 'archived', 'Archive an article: it stops being retrievable'],
  ] as const) {
    app.openapi(
      route(WRITERS, {
        method: 'post',
        path: `/v1/articles/{id}/${action}`,
        tags: ['knowledge'],
        summary,
        request: { params: idParams },
        responses: {
          200: jsonResponse(WriteResult, 'The article with its new status (`changed` is empty if it already had it)'),
          404: problemResponse('No such article'),
          409: problemResponse('A concurrent save won (stale-version, with currentVersion)'),
          ...writeProblems,
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const result = await write(id, (current) => ({ ...contentOf(current), status }), {
          by: actorOf(c.get('principal')!),
          note: `status → ${status}`,
        });
        return c.json({ article: articleOut(result.article), changed: result.changed }, 200);
      },
    );
  }

  app.openapi(
    route(WRITERS, {
      method: 'get',
      path: '/v1/articles/{id}/versions',
      tags: ['knowledge'],
      summary: 'Version history, newest first: what changed, who changed it, when and why',
      request: { params: idParams },
      responses: {
        200: jsonResponse(z.object({ versions: z.array(VersionSummarySchema) }), 'Versions'),
        404: problemResponse('No such article'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await mustGet(db, id);
      return c.json({ versions: (await listVersions(db, id)).map(versionSummaryOut) }, 200);
    },
  );

  app.openapi(
    route(WRITERS, {
      method: 'get',
      path: '/v1/articles/{id}/versions/{version}',
      tags: ['knowledge'],
      summary: 'One version’s full content',
      request: { params: versionParams },
      responses: {
        200: jsonResponse(z.object({ version: VersionSchema }), 'The version'),
        404: problemResponse('No such article or version'),
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      const found = await getVersion(db, id, version);
      if (!found) throw problems.notFound('Article version', `${id}@${version}`);
      return c.json({ version: versionOut(found) }, 200);
    },
  );

  app.openapi(
    route(WRITERS, {
      method: 'post',
      path: '/v1/articles/{id}/versions/{version}/restore',
      tags: ['knowledge'],
      summary:
        'Restore an old version’s content as a new version (history is kept; the article keeps its current status)',
      request: { params: versionParams },
      responses: {
        200: jsonResponse(
          WriteResult.extend({
            restoredFrom: z.number().int(),
            note: z.string().openapi({ description: 'What the restore did and which status it leaves the article in' }),
          }),
          'The article at its new version, with the status it stays in',
        ),
        404: problemResponse('No such article or version'),
        409: problemResponse('A concurrent save won (stale-version, with currentVersion)'),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      const old = await getVersion(db, id, version);
      if (!old) throw problems.notFound('Article version', `${id}@${version}`);
      const result = await write(id, (current) => ({ ...contentOf(old), id, status: current.status }), {
        by: actorOf(c.get('principal')!),
        note: `restored version ${version}`,
      });
      const { article } = result;
      const note = result.changed.length
        ? restoreNote(version, article.version, article.status)
        : `Version ${version} has the same content as the current version ${article.version}; nothing changed.`;
      return c.json({ article: articleOut(article), changed: result.changed, restoredFrom: version, note }, 200);
    },
  );

  app.openapi(
    route(READERS, {
      method: 'post',
      path: '/v1/search',
      tags: ['knowledge'],
      summary: 'Search the published knowledge base as the bot does (hybrid vector + full-text)',
      request: { body: jsonBody(SearchBody) },
      responses: {
        200: jsonResponse(SearchResult, 'Articles best first, each with its score and best passages'),
        503: problemResponse('Retrieval waits for a reindex to a new embedding model (unavailable)'),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { query, ...options } = c.req.valid('json');
      let retriever: Awaited<ReturnType<typeof kb.retriever>>;
      try {
        retriever = await kb.retriever();
      } catch (error) {
        throw problems.unavailable((error as Error).message);
      }
      return c.json(searchOut(await retriever.retrieve(query, options)), 200);
    },
  );

  return app;
}
