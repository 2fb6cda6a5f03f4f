import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Principal } from '../../auth/roles.js';
import { botFor } from '../../bot/bot.js';
import { handleCustomerMessage } from '../../bot/turn.js';
import { listHandoffs } from '../../inbox/handoffs.js';
import {
  type Conversation,
  getConversation,
  listMessages,
  type Message,
  openConversation,
  setStatus,
} from '../../inbox/store.js';
import type { Deps } from '../../platform/deps.js';
import type { AppEnv } from '../../platform/http/env.js';
import { problems } from '../../platform/http/problem.js';
import { jsonBody, jsonResponse, route } from '../../platform/http/route.js';

const READERS = ['agent', 'supervisor', 'admin'] as const;

const MessageSchema = z
  .object({
    id: z.string(),
    role: z.enum(['customer', 'bot', 'agent', 'system']),
    content: z.string(),
    lang: z.string().nullable(),
    channelMessageId: z.string().nullable(),
    sentiment: z.object({ score: z.number(), label: z.string() }).nullable(),
    confidence: z.number().nullable(),
    citations: z.array(z.object({ articleId: z.string(), chunkId: z.number(), title: z.string() })),
    handoffReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Message');

const ConversationSchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    status: z.enum(['bot', 'waiting_human', 'assigned', 'resolved', 'closed']),
    lang: z.string().nullable(),
    team: z.string().nullable(),
    priority: z.number(),
    createdAt: z.string(),
  })
  .openapi('Conversation');

const HandoffSchema = z
  .object({
    id: z.string(),
    reason: z.string(),
    confidence: z.number().nullable(),
    sentiment: z.number().nullable(),
    team: z.string(),
    priority: z.number(),
    createdAt: z.string(),
  })
  .openapi('Handoff');

export const messageOut = (m: Message) => ({
  id: m.id,
  role: m.role,
  content: m.content,
  lang: m.lang,
  channelMessageId: m.channel_message_id,
  sentiment: m.sentiment_score === null ? null : { score: Number(m.sentiment_score), label: String(m.sentiment_label) },
  confidence: m.confidence === null ? null : Number(m.confidence),
  citations: m.citations ?? [],
  handoffReason: (m.meta?.handoff as string | undefined) ?? null,
  createdAt: new Date(m.created_at).toISOString(),
});

export const conversationOut = (c: Conversation) => ({
  id: c.id,
  channel: c.channel,
  status: c.status,
  lang: c.lang,
  team: c.team,
  priority: c.priority,
  createdAt: new Date(c.created_at).toISOString(),
});

/** An integration (API key) sees only conversations it opened; staff see all. */
async function visibleConversation(deps: Deps, principal: Principal, id: string): Promise<Conversation> {
  const conversation = z.uuid().safeParse(id).success ? await getConversation(deps.db, id) : undefined;
  if (!conversation || (principal.kind === 'api_key' && conversation.opened_by_key !== principal.id)) {
    throw problems.notFound('Conversation', id);
  }
  return conversation;
}

export function conversationRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  const bot = botFor(deps);
  const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

  app.openapi(
    route(READERS, {
      method: 'post',
      path: '/v1/conversations',
      tags: ['conversations'],
      summary: 'Open a conversation for a contact (REST channel)',
      request: {
        body: jsonBody(
          z.strictObject({
            contact: z.strictObject({ externalId: z.string().min(1).max(200), name: z.string().max(200).optional() }),
            lang: z.enum(['ar', 'en']).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse(z.object({ conversation: ConversationSchema }), 'Opened') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal')!;
      const conversation = await openConversation(deps.db, {
        channel: 'api',
        externalId: body.contact.externalId,
        name: body.contact.name,
        lang: body.lang,
        openedByKey: p.kind === 'api_key' ? p.id : null,
      });
      return c.json({ conversation: conversationOut(conversation) }, 201);
    },
  );

  app.openapi(
    route(READERS, {
      method: 'post',
      path: '/v1/conversations/{id}/messages',
      tags: ['conversations'],
      summary: "Post a customer's message; the bot answers or hands off in the same call",
      request: {
        params: idParam,
        body: jsonBody(
          z.strictObject({
            text: z.string().max(100_000),
            channelMessageId: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .openapi({ description: 'Deduplicates repeated deliveries' }),
          }),
        ),
      },
      responses: {
        201: jsonResponse(
          z.object({
            message: MessageSchema,
            reply: MessageSchema.nullable(),
            handoff: HandoffSchema.nullable(),
            duplicate: z.boolean(),
          }),
          'Stored, and answered or handed off',
        ),
        200: { description: 'A repeated delivery: the stored message and its reply, unchanged' },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await visibleConversation(deps, c.get('principal')!, id);
      const turn = await handleCustomerMessage(bot, id, body.text, { channelMessageId: body.channelMessageId });
      const handoff = turn.handoff
        ? {
            id: turn.handoff.id,
            reason: turn.handoff.reason,
            confidence: turn.handoff.confidence === null ? null : Number(turn.handoff.confidence),
            sentiment: turn.handoff.sentiment === null ? null : Number(turn.handoff.sentiment),
            team: turn.handoff.team,
            priority: turn.handoff.priority,
            createdAt: new Date(turn.handoff.created_at).toISOString(),
          }
        : null;
      return c.json(
        {
          message: messageOut(turn.message),
          reply: turn.reply ? messageOut(turn.reply) : null,
          handoff,
          duplicate: turn.duplicate,
        },
        turn.duplicate ? 200 : 201,
      );
    },
  );

  app.openapi(
    route(READERS, {
      method: 'get',
      path: '/v1/conversations/{id}',
      tags: ['conversations'],
      summary: 'A conversation with its messages and hand-offs',
      request: { params: idParam },
      responses: {
        200: jsonResponse(
          z.object({
            conversation: ConversationSchema,
            messages: z.array(MessageSchema),
            handoffs: z.array(HandoffSchema),
          }),
          'The conversation',
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const conversation = await visibleConversation(deps, c.get('principal')!, id);
      const [messages, handoffs] = await Promise.all([listMessages(deps.db, id), listHandoffs(deps.db, id)]);
      return c.json(
        {
          conversation: conversationOut(conversation),
          messages: messages.map(messageOut),
          handoffs: handoffs.map((h) => ({
            id: h.id,
            reason: h.reason,
            confidence: h.confidence === null ? null : Number(h.confidence),
            sentiment: h.sentiment === null ? null : Number(h.sentiment),
            team: h.team,
            priority: h.priority,
            createdAt: new Date(h.created_at).toISOString(),
          })),
        },
        200,
      );
    },
  );

  for (const action of ['resolve', 'handback'] as const) {
    app.openapi(
      route(['agent', 'supervisor', 'admin'], {
        method: 'post',
        path: `/v1/conversations/{id}/${action}`,
        tags: ['conversations'],
        summary: action === 'resolve' ? 'Mark the conversation resolved' : 'Hand the conversation back to the bot',
        request: { params: idParam },
        responses: { 200: jsonResponse(z.object({ conversation: ConversationSchema }), 'Updated') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const current = await visibleConversation(deps, c.get('principal')!, id);
        if (current.status === 'resolved' || current.status === 'closed') {
          throw problems.conflict('conversation-closed', `The conversation is already ${current.status}.`);
        }
        const updated = await setStatus(deps.db, id, action === 'resolve' ? 'resolved' : 'bot');
        return c.json({ conversation: conversationOut(updated as Conversation) }, 200);
      },
    );
  }
  return app;
}
