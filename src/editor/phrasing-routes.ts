import { OpenAPIHono, z } from '@hono/zod-openapi';
import { indexSoon } from '../knowledge/jobs.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { actorOf, LangSchema } from '../knowledge/routes.js';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import {
  acceptPhrasing,
  autoAccepts,
  dismissPhrasing,
  type LearnedPhrasing,
  listPhrasings,
  setAutoAccept,
} from './learned-phrasing.js';

const EDITORS: readonly Role[] = ['editor', 'admin'];
const STATUSES = ['proposed', 'accepted', 'dismissed'] as const;

const PhrasingSchema = z
  .object({
    id: z.string(),
    articleId: z.string(),
    articleTitle: z.string(),
    articleStatus: z.string(),
    question: z.string().openapi({ description: 'The customer’s question, personal data redacted' }),
    lang: LangSchema,
    conversationId: z.string().nullable(),
    status: z.enum(STATUSES),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    decidedBy: z.string().nullable(),
    articleVersion: z.number().int().nullable().openapi({ description: 'The version that took the question in' }),
    origin: z.enum(['conversation', 'generated']).openapi({
      description:
        'conversation: a customer’s question from a resolved conversation; generated: a model’s paraphrase of an example question (LLM_PARAPHRASES), live at once and removed by dismissing it',
    }),
    variety: z
      .enum(['gulf', 'msa', 'en'])
      .nullable()
      .openapi({ description: 'Generated only: Gulf Arabic, MSA or English' }),
  })
  .openapi('LearnedPhrasing');
const SettingsSchema = z.object({ autoAccept: z.boolean() }).openapi('LearnedPhrasingSettings');

const view = (p: LearnedPhrasing) => ({
  id: p.id,
  articleId: p.article_id,
  articleTitle: p.article_title,
  articleStatus: p.article_status,
  question: p.question,
  lang: p.lang,
  conversationId: p.conversation_id,
  status: p.status,
  createdAt: new Date(p.created_at).toISOString(),
  decidedAt: p.decided_at ? new Date(p.decided_at).toISOString() : null,
  decidedBy: p.decided_by,
  articleVersion: p.article_version,
  origin: p.origin,
  variety: p.variety,
});

const idParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });
const uuidOr404 = (id: string) => {
  if (!z.uuid().safeParse(id).success) throw problems.notFound('Learned phrasing', id);
};
const writeProblems = {
  413: problemResponse('The body is larger than BODY_LIMIT_BYTES (body-too-large)'),
  415: problemResponse('The body is not application/json (unsupported-media-type)'),
};

/** Learned phrasing for editors: proposals from resolved conversations, accepted or dismissed in one click. */
export function phrasingRoutes(platform: Platform, kb: KnowledgeBase) {
  const { db, events, jobs, log } = platform;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    route(EDITORS, {
      method: 'get',
      path: '/v1/learned-phrasing',
      tags: ['editor'],
      summary: 'Customers’ questions proposed as example questions of the article an agent’s reply used',
      request: {
        query: z.object({
          status: z.enum(STATUSES).default('proposed'),
          articleId: z.string().min(1).max(200).optional(),
          origin: z.enum(['conversation', 'generated']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(100),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ phrasings: z.array(PhrasingSchema), autoAccept: z.boolean() }), 'Newest first'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const [rows, autoAccept] = await Promise.all([listPhrasings(db, q), autoAccepts(db)]);
      return c.json({ phrasings: rows.map(view), autoAccept }, 200);
    },
  );

  app.openapi(
    route(EDITORS, {
      method: 'post',
      path: '/v1/learned-phrasing/{id}/accept',
      tags: ['editor'],
      summary: 'Add the question to the article’s example questions (a new version; retrievable once indexed)',
      request: { params: idParams },
      responses: {
        200: jsonResponse(
          z.object({ phrasing: PhrasingSchema, articleVersion: z.number().int(), changed: z.array(z.string()) }),
          'Accepted',
        ),
        404: problemResponse('No such proposal'),
        409: problemResponse(
          'Already accepted or dismissed (already-decided), the article is archived (article-archived) or full (too-many-questions)',
        ),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      uuidOr404(id);
      const result = await acceptPhrasing(events, id, actorOf(c.get('principal')!));
      if (result.changed.length) await indexSoon({ jobs, kb, log }, result.article);
      return c.json(
        { phrasing: view(result.phrasing), articleVersion: result.article.version, changed: result.changed },
        200,
      );
    },
  );

  app.openapi(
    route(EDITORS, {
      method: 'post',
      path: '/v1/learned-phrasing/{id}/dismiss',
      tags: ['editor'],
      summary: 'Dismiss a proposal (the article is left as it is), or remove a generated phrasing from retrieval',
      request: { params: idParams },
      responses: {
        200: jsonResponse(z.object({ phrasing: PhrasingSchema }), 'Dismissed'),
        404: problemResponse('No such proposal'),
        409: problemResponse(
          'Already accepted or dismissed (already-decided); a generated phrasing can only be dismissed',
        ),
        ...writeProblems,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      uuidOr404(id);
      const phrasing = await dismissPhrasing(db, id, actorOf(c.get('principal')!));
      // A generated phrasing was indexed with its article: it leaves retrieval now.
      if (phrasing.origin === 'generated') await kb.index(phrasing.article_id);
      return c.json({ phrasing: view(phrasing) }, 200);
    },
  );

  app.openapi(
    route(EDITORS, {
      method: 'put',
      path: '/v1/learned-phrasing/settings',
      tags: ['editor'],
      summary: 'Accept proposals automatically as they come (true) or wait for an editor (false)',
      request: { body: jsonBody(z.strictObject({ autoAccept: z.boolean() })) },
      responses: { 200: jsonResponse(SettingsSchema, 'The setting in force'), ...writeProblems },
    }),
    async (c) => {
      const { autoAccept } = c.req.valid('json');
      await setAutoAccept(db, autoAccept);
      return c.json({ autoAccept }, 200);
    },
  );

  return app;
}
