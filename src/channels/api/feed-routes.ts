import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { visibleConversation } from '../../inbox/visibility.js';
import type { ConversationNote } from '../../platform/events/bus.js';
import { type FeedScope, liveFeed, resumeFrom } from '../../platform/events/feed.js';
import type { StoredEvent } from '../../platform/events/outbox.js';
import type { Role } from '../../platform/http/caller.js';
import type { AppEnv } from '../../platform/http/env.js';
import { Problem } from '../../platform/http/problem.js';
import { problemResponse, route } from '../../platform/http/route.js';
import type { Platform } from '../../platform/module.js';

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];

// What a customer may follow of their conversation, and how much of each event.
const CUSTOMER_EVENTS = [
  'message.created',
  'message.delivered',
  'conversation.handed_off',
  'conversation.assigned',
  'conversation.resolved',
  'conversation.handed_back',
];

function customerView(event: StoredEvent): Record<string, unknown> | null {
  const d = event.data as Record<string, unknown>;
  if (event.type === 'message.created' || event.type === 'message.delivered') {
    if (d.role === 'system' || d.internal) return null;
    // The agent's name, as the REST view shows it; never the staff member's id.
    const author = d.author as { name?: string } | null | undefined;
    return {
      ...d,
      sentiment: null,
      confidence: null,
      handoffReason: null,
      error: undefined,
      author: author ? { id: null, name: author.name ?? null } : null,
    };
  }
  // Status only: the reason, confidence and team of a hand-off are the staff's business.
  const status = {
    'conversation.handed_off': 'waiting_human',
    'conversation.assigned': 'assigned',
    'conversation.resolved': 'resolved',
    'conversation.handed_back': 'bot',
  }[event.type];
  return status ? { conversationId: event.conversationId, status } : null;
}

const sseResponse = {
  description:
    "text/event-stream: each stored event with its id (resume with Last-Event-ID or ?after=), `reply.streaming` (no id) while a reply is produced, `typing` (no id; one conversation's feed only) when the customer or the assigned agent is typing, `ready` once caught up, and `reset` when the id to resume from is no longer kept (reload, then follow)",
  content: { 'text/event-stream': { schema: z.string() } },
};
const afterQuery = z.object({
  after: z.string().regex(/^\d+$/).optional().openapi({ description: 'Resume after this event id (as Last-Event-ID)' }),
});

/** Live feeds: a console follows everything it may see; a customer or an integration one conversation. */
export function feedRoutes(platform: Platform) {
  const { db, events, bus } = platform;
  const app = new OpenAPIHono<AppEnv>();
  const follow = (c: Context<AppEnv>, scope: FeedScope) => liveFeed(c, { events, bus }, scope, resumeFrom(c));

  app.openapi(
    route(STAFF, {
      method: 'get',
      path: '/v1/feed',
      tags: ['live feed'],
      summary: 'Every event this caller may see (an API key: the conversations it opened)',
      request: { query: afterQuery },
      responses: { 200: sseResponse },
    }),
    (c) => {
      const principal = c.get('principal');
      if (principal?.kind === 'api_key') {
        const own = new Map<string, boolean>();
        const owns = async (conversationId: string) => {
          if (!own.has(conversationId)) {
            const rows = await db.query('SELECT 1 FROM conversations WHERE id = $1 AND opened_by_key = $2', [
              conversationId,
              principal.id,
            ]);
            own.set(conversationId, rows.length > 0);
          }
          return own.get(conversationId) as boolean;
        };
        return follow(c, {
          filter: {
            sql: 'e.conversation_id IN (SELECT id FROM conversations WHERE opened_by_key = $3)',
            params: [principal.id],
          },
          project: (e) => ({ ...e.data, conversationId: e.conversationId }),
          streams: (note) => note.kind === 'stream' && owns(note.conversationId),
        }) as never;
      }
      // Typing belongs to one conversation's feed: the whole-service feed would carry every keystroke.
      return follow(c, {
        project: (e) => ({ ...e.data, conversationId: e.conversationId }),
        streams: (note) => note.kind === 'stream',
      }) as never;
    },
  );

  app.openapi(
    route(
      { roles: STAFF, customer: true },
      {
        method: 'get',
        path: '/v1/conversations/{id}/feed',
        tags: ['live feed'],
        summary: "One conversation's events; a customer sees its messages and status, not the staff's details",
        request: {
          params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) }),
          query: afterQuery,
        },
        responses: { 200: sseResponse, 404: problemResponse('No conversation with this id that the caller may see') },
      },
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const conversation = await visibleConversation(c, db, id);
      const customer = Boolean(c.get('customer'));
      const mine = (note: ConversationNote) => note.conversationId === conversation.id;
      return follow(
        c,
        customer
          ? {
              filter: {
                sql: 'e.conversation_id = $3 AND e.type = ANY($4)',
                params: [conversation.id, CUSTOMER_EVENTS],
              },
              project: customerView,
              // The customer hears the agent typing, not their own keystrokes.
              streams: (note) => mine(note) && (note.kind === 'stream' || note.role === 'agent'),
            }
          : {
              filter: { sql: 'e.conversation_id = $3', params: [conversation.id] },
              project: (e) => ({ ...e.data, conversationId: e.conversationId }),
              streams: mine,
            },
      ) as never;
    },
  );
  app.openapi(
    route(
      { roles: STAFF, customer: true },
      {
        method: 'post',
        path: '/v1/conversations/{id}/typing',
        tags: ['live feed'],
        summary: 'Say the customer, or the agent the conversation is assigned to, is typing (send every few seconds)',
        description:
          "Followers of the conversation's feed get a `typing` event (the customer hears only the agent). Nothing is stored.",
        request: {
          params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) }),
        },
        responses: {
          204: { description: 'Announced (or nothing to announce: the conversation is over)' },
          403: problemResponse('Staff: the conversation is not assigned to you (not-assigned)'),
          404: problemResponse('No conversation with this id that the caller may see'),
        },
      },
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const conversation = await visibleConversation(c, db, id);
      if (conversation.status === 'resolved' || conversation.status === 'closed') return c.body(null, 204);
      if (c.get('customer')) {
        await bus.publish({ kind: 'typing', conversationId: conversation.id, role: 'customer', name: null });
        return c.body(null, 204);
      }
      const principal = c.get('principal');
      if (principal?.kind !== 'staff' || conversation.assigned_to !== principal.id) {
        throw new Problem(
          403,
          'not-assigned',
          'The conversation is not assigned to you',
          'Claim the conversation first: only the agent who holds it speaks to the customer.',
        );
      }
      await bus.publish({ kind: 'typing', conversationId: conversation.id, role: 'agent', name: principal.name });
      return c.body(null, 204);
    },
  );

  return app;
}
