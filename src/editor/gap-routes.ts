import { OpenAPIHono, z } from '@hono/zod-openapi';
import { LangSchema } from '../knowledge/routes.js';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { draftFromGap, findKnowledgeGaps, type KnowledgeGap } from './knowledge-gaps.js';

const READERS: readonly Role[] = ['editor', 'supervisor', 'admin'];

const GapSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable while the gap’s first question stays in the window' }),
    lang: LangSchema,
    count: z.number().int().openapi({ description: 'Times customers asked, repeats included' }),
    lowConfidence: z.number().int(),
    notHelpful: z.number().int(),
    firstAt: z.string(),
    lastAt: z.string(),
    questions: z.array(z.object({ text: z.string(), count: z.number().int(), lastAt: z.string() })),
    articles: z
      .array(z.object({ articleId: z.string(), title: z.string(), status: z.string(), count: z.number().int() }))
      .openapi({ description: 'Articles the bot reached for (hand-off candidates, answers voted not helpful)' }),
    team: z.string().nullable(),
    drafts: z
      .array(z.object({ articleId: z.string(), title: z.string(), status: z.string() }))
      .openapi({ description: 'Drafts that already hold some of these questions' }),
  })
  .openapi('KnowledgeGap');

const DraftSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    lang: LangSchema,
    tags: z.array(z.string()),
    team: z.string().nullable(),
    questions: z.array(z.string()),
    body: z.string(),
    status: z.literal('draft'),
  })
  .openapi('GapDraft');

const GapQuery = z.object({
  days: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be 1 or more')
    .max(365, 'must be at most 365')
    .default(30),
  lang: LangSchema.optional(),
});

/** Knowledge gaps for the editor console: what customers asked that the knowledge base did not answer. */
export function gapRoutes(platform: Platform) {
  const { db } = platform;
  const app = new OpenAPIHono<AppEnv>();

  async function mustFind(id: string, q: z.infer<typeof GapQuery>): Promise<KnowledgeGap> {
    const gap = (await findKnowledgeGaps(db, q)).find((g) => g.id === id);
    if (!gap) throw problems.notFound('Knowledge gap', id);
    return gap;
  }

  app.openapi(
    route(READERS, {
      method: 'get',
      path: '/v1/knowledge-gaps',
      tags: ['editor'],
      summary:
        'Questions that ended in a low-confidence hand-off or a "not helpful" vote, grouped by similarity, largest first',
      request: { query: GapQuery },
      responses: {
        200: jsonResponse(
          z.object({ gaps: z.array(GapSchema), days: z.number().int(), since: z.string() }),
          'Knowledge gaps with counts and recency',
        ),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const gaps = await findKnowledgeGaps(db, q);
      const since = new Date(Date.now() - q.days * 86_400_000).toISOString();
      return c.json({ gaps, days: q.days, since }, 200);
    },
  );

  app.openapi(
    route(READERS, {
      method: 'get',
      path: '/v1/knowledge-gaps/{id}/draft',
      tags: ['editor'],
      summary: 'A new article pre-filled from a gap: its questions as example questions (nothing is saved)',
      request: {
        params: z.object({
          id: z
            .string()
            .max(40)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
        query: GapQuery,
      },
      responses: {
        200: jsonResponse(z.object({ gap: GapSchema, draft: DraftSchema }), 'Save it with POST /v1/articles'),
        404: problemResponse('No such gap in the window'),
      },
    }),
    async (c) => {
      const gap = await mustFind(c.req.valid('param').id, c.req.valid('query'));
      return c.json({ gap, draft: draftFromGap(gap) }, 200);
    },
  );

  return app;
}
