import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { contentFields, IdParam } from '../knowledge/routes.js';
import { PreviewUnavailableError } from '../knowledge/what-if.js';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { answerDiff } from './answer-diff.js';

const EDITORS: readonly Role[] = ['editor', 'admin'];

const DiffBody = z
  .strictObject({
    article: z.strictObject({ id: IdParam.openapi({}), ...contentFields }),
    status: z
      .enum(['published', 'archived'])
      .default('published')
      .openapi({ description: 'Preview publishing the article as given (default) or archiving it' }),
  })
  .openapi('AnswerDiffRequest');

const OutcomeSchema = z.object({
  articleId: z.string().nullable(),
  answered: z.boolean(),
  confidence: z.number(),
});
const DiffSchema = z
  .object({
    articleId: z.string(),
    status: z.enum(['published', 'archived']),
    checked: z.object({
      recent: z.number().int().openapi({ description: 'Recent customer questions replayed (redacted)' }),
      dev: z.number().int().openapi({ description: 'Development-set cases replayed' }),
      devSet: z.string().nullable(),
    }),
    changes: z.array(
      z.object({
        source: z.enum(['recent', 'dev']),
        question: z.string(),
        expected: z.string().nullable().optional(),
        before: OutcomeSchema,
        after: OutcomeSchema,
        kind: z.enum(['now_answered', 'now_handed_off', 'other_article']),
        verdict: z.enum(['better', 'worse', 'neutral']).optional(),
      }),
    ),
    summary: z.object({
      nowAnswered: z.number().int(),
      nowHandedOff: z.number().int(),
      otherArticle: z.number().int(),
      better: z.number().int(),
      worse: z.number().int(),
    }),
  })
  .openapi('AnswerDiff');

/** The answer diff an editor sees before publishing: computed on a rolled-back copy, nothing saved. */
export function answerDiffRoutes(platform: Platform, kb: KnowledgeBase) {
  const { db, config } = platform;
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    route(EDITORS, {
      method: 'post',
      path: '/v1/answer-diff',
      tags: ['editor'],
      summary:
        'Which recent customer questions and development-set cases the bot would answer differently with this article published (or archived)',
      request: { body: jsonBody(DiffBody) },
      responses: {
        200: jsonResponse(DiffSchema, 'The questions whose outcome changes: another article, or answered ↔ handed off'),
        503: problemResponse('A reindex to another embedding model is running (unavailable)'),
        413: problemResponse('The body is larger than BODY_LIMIT_BYTES (body-too-large)'),
        415: problemResponse('The body is not application/json (unsupported-media-type)'),
      },
    }),
    async (c) => {
      const { article, status } = c.req.valid('json');
      try {
        return c.json(await answerDiff({ db, kb, config }, { ...article, status }), 200);
      } catch (error) {
        if (error instanceof PreviewUnavailableError) throw problems.unavailable(error.message);
        throw error;
      }
    },
  );
  return app;
}
