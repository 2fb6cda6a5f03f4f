import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { Problem, problems } from '../platform/http/problem.js';
import { jsonResponse, problemResponse, route } from '../platform/http/route.js';
import { decodeCursor, encodeCursor } from './handoff-log.js';
import type { Reports } from './reports.js';
import { handoffQuery, handoffScopeOf, scopeOf, scopeQuery } from './scope.js';

export const REPORT_ROLES: readonly Role[] = ['supervisor', 'admin'];

const TAGS = ['reports'];
const loose = z.record(z.string(), z.unknown());
const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

function cursorOf(value: string | undefined) {
  if (value === undefined) return undefined;
  const cursor = decodeCursor(value);
  if (!cursor) {
    throw new Problem(
      400,
      'invalid-cursor',
      'The cursor is not valid',
      'Pass nextCursor from the previous page unchanged.',
    );
  }
  return cursor;
}

/** The supervisor's reports as JSON (and the hand-off log as CSV). */
export function reportRoutes(service: Reports) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/handoffs',
      tags: TAGS,
      summary: 'The hand-off log: why, confidence, sentiment, team, waiting time, who took it, outcome',
      description:
        "Newest first, a page at a time (`nextCursor`). Filters: period or from/to, reason, team (the hand-off's), channel, language.",
      request: {
        query: handoffQuery.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(loose), nextCursor: z.string().nullable() }),
          'One page of the log',
        ),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await service.handoffLog(handoffScopeOf(q), { limit: q.limit, after: cursorOf(q.cursor) });
      return c.json({ items: page.entries, nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/handoffs/export',
      tags: TAGS,
      summary: 'The hand-off log as CSV, streamed (any size, bounded memory)',
      request: { query: handoffQuery },
      responses: {
        200: { description: 'CSV (UTF-8 with a byte-order mark)', content: { 'text/csv': { schema: z.string() } } },
      },
    }),
    async (c) => {
      const scope = handoffScopeOf(c.req.valid('query'));
      const name = `handoffs-${scope.from.toISOString().slice(0, 10)}-${scope.to.toISOString().slice(0, 10)}.csv`;
      return c.body(service.handoffCsv(scope), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      });
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/handoffs/{id}',
      tags: TAGS,
      summary: 'One hand-off with the whole transcript and the retrieved candidates with their scores',
      request: { params: idParam },
      responses: {
        200: jsonResponse(z.object({ handoff: loose, transcript: loose }), 'The hand-off'),
        404: problemResponse('No such hand-off'),
      },
    }),
    async (c) => {
      const handoff = await service.handoff(c.req.valid('param').id);
      if (!handoff) throw problems.notFound('Hand-off', c.req.valid('param').id);
      const transcript = await service.transcript(handoff.conversationId);
      return c.json({ handoff, transcript: transcript ?? {} }, 200);
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/conversations/{id}',
      tags: TAGS,
      summary: 'A conversation as reports see it: every message with scores, and its hand-offs',
      request: { params: idParam },
      responses: { 200: jsonResponse(loose, 'The transcript'), 404: problemResponse('No such conversation') },
    }),
    async (c) => {
      const transcript = await service.transcript(c.req.valid('param').id);
      if (!transcript) throw problems.notFound('Conversation', c.req.valid('param').id);
      return c.json(transcript, 200);
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/kpis',
      tags: TAGS,
      summary: 'KPIs over the conversations opened in a period, overall and by channel, team or language',
      description: 'Definitions: docs/reporting.md.',
      request: { query: scopeQuery.extend({ by: z.enum(['channel', 'team', 'lang']).optional() }) },
      responses: { 200: jsonResponse(loose, 'The KPIs') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await service.kpis(scopeOf(q), q.by), 200);
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/kpis/containment',
      tags: TAGS,
      summary: 'The conversations counted as contained (resolved by the bot without a person), to audit the rate',
      request: {
        query: scopeQuery.extend({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
      },
      responses: { 200: jsonResponse(z.object({ total: z.number(), items: z.array(loose) }), 'Counted conversations') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await service.contained(scopeOf(q), { limit: q.limit, offset: q.offset }), 200);
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/threshold',
      tags: TAGS,
      summary:
        'Answered precision against coverage from judged answers, with the threshold in force (per language: lang)',
      request: { query: scopeQuery },
      responses: { 200: jsonResponse(loose, 'The curve') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      // Judgements are sparse: a month by default.
      return c.json(
        await service.threshold(scopeOf({ ...q, period: q.period ?? (q.from || q.to ? undefined : '30d') })),
        200,
      );
    },
  );

  app.openapi(
    route(REPORT_ROLES, {
      method: 'get',
      path: '/v1/reports/topic-alerts',
      tags: TAGS,
      summary: 'Topics (article tags) whose hand-offs or negative messages rose well above their baseline',
      request: { query: scopeQuery },
      responses: { 200: jsonResponse(z.object({ items: z.array(loose) }), 'Alerts raised in the period') },
    }),
    async (c) => c.json({ items: await service.alerts(scopeOf(c.req.valid('query'))) }, 200),
  );

  return app;
}
