import { OpenAPIHono, z } from '@hono/zod-openapi';
import { createCustomerToken } from '../../auth/customer-tokens.js';
import {
  conversationView,
  customerMessageView,
  customerSees,
  getMessage,
  handoffView,
  type Inbox,
  listHandoffs,
  listMessages,
  messageView,
} from '../../inbox/index.js';
import { visibleConversation } from '../../inbox/visibility.js';
import type { Role } from '../../platform/http/caller.js';
import type { AppEnv } from '../../platform/http/env.js';
import { Problem, problems } from '../../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../../platform/http/route.js';
import type { Platform } from '../../platform/module.js';
import { ConversationSchema, CustomerTokenSchema, HandoffSchema, MessageSchema } from './schemas.js';

const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
const STAFF_OR_CUSTOMER = { roles: STAFF, customer: true } as const;

const forCustomer = customerMessageView;

/** The REST channel: integrations (API keys) and customers (tokens) write; the inbox answers. */
export function apiRoutes(platform: Platform, inbox: Inbox) {
  const { db, config } = platform;
  const app = new OpenAPIHono<AppEnv>();
  const idParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }) });
  const notFound = problemResponse('No conversation with this id that the caller may see');

  app.openapi(
    route(STAFF, {
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
      responses: {
        201: jsonResponse(z.object({ conversation: ConversationSchema }), 'Opened'),
        413: problemResponse('Body too large'),
        415: problemResponse('Not JSON'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      // Each integration has its own contacts: key B naming A's externalId gets its own contact
      // and never rewrites A's (staff share the unscoped ones).
      const owner = p?.kind === 'api_key' ? `key:${p.id}:` : '';
      const conversation = await inbox.open({
        channel: 'api',
        externalId: `${owner}${body.contact.externalId}`,
        name: body.contact.name,
        lang: body.lang,
        openedByKey: p?.kind === 'api_key' ? p.id : null,
      });
      return c.json({ conversation: conversationView(conversation) }, 201);
    },
  );

  app.openapi(
    route(STAFF, {
      method: 'post',
      path: '/v1/conversations/{id}/customer-token',
      tags: ['conversations'],
      summary: 'A token the customer (for example the widget) uses for this conversation only',
      description: `Valid for CUSTOMER_TOKEN_TTL_HOURS (${config.CUSTOMER_TOKEN_TTL_HOURS} h here). With it the customer writes, reads the conversation and follows its live feed, and nothing else.`,
      request: { params: idParam },
      responses: { 201: jsonResponse(CustomerTokenSchema, 'Created; the token is shown once'), 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const conversation = await visibleConversation(c, db, id);
      const token = await createCustomerToken(db, conversation.id, config.CUSTOMER_TOKEN_TTL_HOURS);
      return c.json(
        { token: token.token, conversationId: conversation.id, expiresAt: token.expiresAt.toISOString() },
        201,
      );
    },
  );

  app.openapi(
    route(STAFF_OR_CUSTOMER, {
      method: 'post',
      path: '/v1/conversations/{id}/messages',
      tags: ['conversations'],
      summary: "Post a customer's message; the bot answers or hands off in the same call",
      description:
        'The message is stored first. A repeated `channelMessageId` is stored once and gets the same reply (200); if its first delivery is still being handled the call waits for that outcome, and if the first failed half-way it is handled now. Follow the conversation feed to see the reply as it is produced.',
      request: {
        params: idParam,
        body: jsonBody(
          z.strictObject({
            text: z.string().openapi({
              maxLength: config.MESSAGE_MAX_CHARS,
              description: `At most ${config.MESSAGE_MAX_CHARS} characters (MESSAGE_MAX_CHARS); longer is a 413 message-too-long problem, empty a 400 empty-message problem.`,
            }),
            channelMessageId: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .openapi({ description: 'Deduplicates repeated deliveries' }),
            intent: z.literal('human').optional().openapi({
              description:
                'The customer pressed "talk to a person" (the text is the button\'s label): hands off with reason customer_request',
            }),
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
          'Stored, and answered, handed off, or (while a person has the conversation) left to them',
        ),
        200: jsonResponse(
          z.object({
            message: MessageSchema,
            reply: MessageSchema.nullable(),
            handoff: HandoffSchema.nullable(),
            duplicate: z.boolean(),
          }),
          'A repeated delivery: the stored message and its reply',
        ),
        404: notFound,
        409: problemResponse('The conversation is resolved or closed (conversation-closed)'),
        413: problemResponse('Message or body too large (message-too-long, body-too-large)'),
        415: problemResponse('Not JSON'),
        429: problemResponse('Too many messages being handled (overloaded): retry after Retry-After seconds'),
        503: problemResponse('Another process holds the conversation for too long (conversation-busy): retry'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const conversation = await visibleConversation(c, db, id);
      const outcome = await inbox.receive({
        conversationId: id,
        conversation,
        text: body.text,
        channelMessageId: body.channelMessageId,
        intent: body.intent,
      });
      const view = c.get('customer') ? forCustomer : messageView;
      return c.json(
        {
          message: view(outcome.message),
          reply: outcome.reply ? view(outcome.reply) : null,
          handoff: outcome.handoff && !c.get('customer') ? handoffView(outcome.handoff) : null,
          duplicate: outcome.duplicate,
        },
        outcome.duplicate ? 200 : 201,
      );
    },
  );

  app.openapi(
    route(STAFF_OR_CUSTOMER, {
      method: 'get',
      path: '/v1/conversations/{id}',
      tags: ['conversations'],
      summary: 'A conversation with its messages (and, for staff, its hand-offs)',
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
        404: notFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const conversation = await visibleConversation(c, db, id);
      const customer = Boolean(c.get('customer'));
      const [messages, handoffs] = await Promise.all([listMessages(db, id), customer ? [] : listHandoffs(db, id)]);
      return c.json(
        {
          conversation: conversationView(conversation),
          messages: customer ? messages.filter(customerSees).map(forCustomer) : messages.map(messageView),
          handoffs: handoffs.map(handoffView),
        },
        200,
      );
    },
  );

  for (const action of ['resolve', 'handback'] as const) {
    app.openapi(
      route(STAFF, {
        method: 'post',
        path: `/v1/conversations/{id}/${action}`,
        tags: ['conversations'],
        summary: action === 'resolve' ? 'Mark the conversation resolved' : 'Hand the conversation back to the bot',
        request: { params: idParam },
        responses: {
          200: jsonResponse(z.object({ conversation: ConversationSchema }), 'Updated'),
          404: notFound,
          409: problemResponse('Already resolved or closed (conversation-closed)'),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await visibleConversation(c, db, id);
        const updated = action === 'resolve' ? await inbox.resolve(id) : await inbox.handBack(id);
        return c.json({ conversation: conversationView(updated) }, 200);
      },
    );
  }
  app.openapi(
    route(STAFF, {
      method: 'post',
      path: '/v1/conversations/{id}/assign',
      tags: ['conversations'],
      summary: 'A person takes the conversation: an agent claims it, a supervisor or admin assigns it to anyone',
      description:
        'Without `staffId` a signed-in staff member claims it. Agents may only claim for themselves; API keys must name the staff member. The bot stays quiet while the conversation is assigned.',
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ staffId: z.uuid().optional() })),
      },
      responses: {
        200: jsonResponse(z.object({ conversation: ConversationSchema }), 'Assigned'),
        404: problemResponse('No such conversation the caller may see, or no such staff member'),
        409: problemResponse(
          'Already resolved or closed (conversation-closed), or an agent claims what a colleague holds (already-assigned, with who)',
        ),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const { staffId } = c.req.valid('json');
      await visibleConversation(c, db, id);
      const self = principal?.kind === 'staff' ? principal.id : undefined;
      const target = staffId ?? self;
      if (!target) {
        throw new Problem(400, 'staff-required', 'Whom to assign is missing', 'An API key must give staffId.');
      }
      if (principal?.role === 'agent' && target !== self) {
        throw problems.forbidden(['supervisor', 'admin'], 'agent (agents claim conversations for themselves)');
      }
      const takeOver = principal?.role === 'supervisor' || principal?.role === 'admin';
      return c.json({ conversation: conversationView(await inbox.assign(id, target, { takeOver })) }, 200);
    },
  );

  app.openapi(
    route(STAFF_OR_CUSTOMER, {
      method: 'post',
      path: '/v1/messages/{id}/feedback',
      tags: ['conversations'],
      summary: '"Was this helpful?" on one of the bot\'s answers; the latest verdict stands',
      request: {
        params: idParam,
        body: jsonBody(z.strictObject({ helpful: z.boolean() })),
      },
      responses: {
        200: jsonResponse(z.object({ messageId: z.string(), helpful: z.boolean() }), 'Recorded'),
        404: problemResponse('No message with this id that the caller may see'),
        409: problemResponse("The message is not one of the bot's answers (not-an-answer)"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const message = z.uuid().safeParse(id).success ? await getMessage(db, id) : undefined;
      if (!message) throw problems.notFound('Message', id);
      // The same visibility as its conversation: a 404 whether the message is missing or someone else's.
      await visibleConversation(c, db, message.conversation_id).catch(() => {
        throw problems.notFound('Message', id);
      });
      return c.json(await inbox.rate({ messageId: id, helpful: c.req.valid('json').helpful }), 200);
    },
  );
  return app;
}
