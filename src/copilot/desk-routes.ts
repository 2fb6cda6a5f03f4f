import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type Inbox, listQueue, messageView } from '../inbox/index.js';
import { visibleConversation } from '../inbox/visibility.js';
import type { Role } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { Problem } from '../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../platform/http/route.js';
import type { Platform } from '../platform/module.js';
import { safeInline } from '../text/safe-markdown.js';
import type { suggestions as suggestionsService } from './suggestions.js';

const AGENTS: readonly Role[] = ['agent', 'supervisor', 'admin'];

/** The staff member behind a session: replies and claims are a person's, not an integration's. */
export function staffOf(c: Context<AppEnv>) {
  const p = c.get('principal');
  if (p?.kind !== 'staff') {
    throw new Problem(
      403,
      'staff-session-required',
      'This needs a signed-in staff member',
      'Sign in (POST /v1/auth/login) to reply, claim or change availability; API keys cannot act as a person.',
    );
  }
  return p;
}

const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });

/** The agent's desk: the queue, availability, a conversation's context, and replies or notes. */
export function deskRoutes(platform: Platform, inbox: Inbox, suggestions: ReturnType<typeof suggestionsService>) {
  const { db } = platform;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    route(AGENTS, {
      method: 'get',
      path: '/v1/queue',
      tags: ['agent desk'],
      summary: 'Conversations waiting for a person (or assigned to me), most urgent first',
      request: {
        query: z.object({
          team: z.string().max(100).optional(),
          channel: z.string().max(50).optional(),
          lang: z.enum(['ar', 'en']).optional(),
          view: z.enum(['waiting', 'mine']).default('waiting'),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) }), 'The queue'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = c.get('principal');
      const items = await listQueue(db, { ...q, staffId: p?.kind === 'staff' ? p.id : undefined });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'put',
      path: '/v1/me/availability',
      tags: ['agent desk'],
      summary: 'Take new conversations (auto-assignment within my capacity) or not',
      request: { body: jsonBody(z.strictObject({ available: z.boolean() })) },
      responses: { 200: jsonResponse(z.object({ available: z.boolean() }), 'Saved') },
    }),
    async (c) => {
      const me = staffOf(c);
      const { available } = c.req.valid('json');
      await inbox.setAvailable(me.id, available);
      return c.json({ available }, 200);
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'get',
      path: '/v1/conversations/{id}/context',
      tags: ['agent desk'],
      summary: 'The contact, their earlier conversations and the sentiment trend of this one',
      request: { params: idParam },
      responses: {
        200: jsonResponse(
          z.object({
            contact: z.object({ name: z.string().nullable(), channel: z.string() }),
            earlier: z.array(
              z.object({ id: z.string(), status: z.string(), createdAt: z.string(), preview: z.string().nullable() }),
            ),
            sentimentTrend: z.array(z.number()),
          }),
          'Context',
        ),
        404: problemResponse('No such conversation the caller may see'),
      },
    }),
    async (c) => {
      const conversation = await visibleConversation(c, db, c.req.valid('param').id);
      const [contact] = await db.query<{ name: string | null; channel: string }>(
        'SELECT name, channel FROM contacts WHERE id = $1',
        [conversation.contact_id],
      );
      const earlier = await db.query<{ id: string; status: string; created_at: Date; preview: string | null }>(
        `SELECT c.id, c.status, c.created_at,
           (SELECT content FROM messages m WHERE m.conversation_id = c.id AND m.role = 'customer' ORDER BY seq LIMIT 1) AS preview
         FROM conversations c WHERE c.contact_id = $1 AND c.id <> $2 ORDER BY c.created_at DESC LIMIT 20`,
        [conversation.contact_id, conversation.id],
      );
      const trend = await db.query<{ s: number }>(
        `SELECT sentiment_score AS s FROM messages WHERE conversation_id = $1 AND role = 'customer'
           AND sentiment_score IS NOT NULL ORDER BY seq`,
        [conversation.id],
      );
      return c.json(
        {
          contact: {
            name: contact?.name ? safeInline(contact.name) : null,
            channel: contact?.channel ?? conversation.channel,
          },
          earlier: earlier.map((e) => ({
            id: e.id,
            status: e.status,
            createdAt: new Date(e.created_at).toISOString(),
            preview: e.preview,
          })),
          sentimentTrend: trend.map((t) => Number(t.s)),
        },
        200,
      );
    },
  );

  app.openapi(
    route(AGENTS, {
      method: 'post',
      path: '/v1/conversations/{id}/replies',
      tags: ['agent desk'],
      summary: "An agent's reply to the customer (sent on the conversation's channel), or an internal note",
      description:
        'A reply needs the conversation assigned to you (claim it first); a note does not and is never sent. With `suggestionId` the suggestion is recorded as accepted (text unchanged) or edited (with the edit distance), and its articles are recorded as used.',
      request: {
        params: idParam,
        body: jsonBody(
          z.strictObject({
            text: z.string(),
            note: z.boolean().optional(),
            suggestionId: z.uuid().optional(),
            articleIds: z.array(z.string().min(1).max(200)).max(10).optional(),
          }),
        ),
      },
      responses: {
        201: jsonResponse(z.object({ message: z.record(z.string(), z.unknown()) }), 'Stored (and queued for delivery)'),
        403: problemResponse('The conversation is not assigned to you (not-assigned), or no staff session'),
        404: problemResponse('No such conversation, or a suggestion of another conversation'),
        409: problemResponse('Resolved or closed, or the suggestion was already used or rejected'),
      },
    }),
    async (c) => {
      const me = staffOf(c);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await visibleConversation(c, db, id);
      let articleIds = body.articleIds;
      if (body.suggestionId && !articleIds) {
        const s = await suggestions.suggestionOf(id, body.suggestionId);
        articleIds = s.citations.map((x) => x.articleId);
      }
      const message = await inbox.reply({
        conversationId: id,
        author: { id: me.id, name: me.name },
        text: body.text,
        note: body.note,
        articleIds,
        onStored: body.suggestionId
          ? (tx, reply) =>
              suggestions.recordOutcome(tx, {
                suggestionId: body.suggestionId as string,
                conversationId: id,
                staffId: me.id,
                reply,
              })
          : undefined,
      });
      return c.json({ message: messageView(message) }, 201);
    },
  );

  return app;
}
