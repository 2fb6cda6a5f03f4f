import { randomUUID } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { createCustomerToken } from '../../auth/customer-tokens.js';
import {
  type Conversation,
  conversationView,
  customerMessageView,
  customerSees,
  type Inbox,
  listMessages,
} from '../../inbox/index.js';
import type { AppEnv } from '../../platform/http/env.js';
import { originAllowed } from '../../platform/http/origins.js';
import { Problem } from '../../platform/http/problem.js';
import { jsonBody, jsonResponse, problemResponse, route } from '../../platform/http/route.js';
import { serveBundle } from '../../platform/http/script-bundle.js';
import type { Platform } from '../../platform/module.js';
import { ConversationSchema, MessageSchema } from '../api/schemas.js';
import { widgetBundle } from './bundle.js';
import { verifyUserHash } from './identity.js';

export const WIDGET_CHANNEL = 'widget';
const HISTORY_LIMIT = 10;

const SessionSchema = z
  .object({
    token: z.string().openapi({ description: 'A customer token (ct_sanad_…), shown once' }),
    conversationId: z.string(),
    expiresAt: z.string(),
    identified: z.boolean(),
  })
  .openapi('WidgetSession');

const notAllowed = () =>
  new Problem(
    403,
    'origin-not-allowed',
    'This site may not use the chat',
    'The page calling is not among WIDGET_ALLOWED_ORIGINS; an administrator can add its origin.',
  );

/** The widget's own routes: its script, a chat session for a visitor, and a visitor's history. */
export function widgetRoutes(platform: Platform, inbox: Inbox) {
  const { config, db } = platform;
  const app = new OpenAPIHono<AppEnv>();

  app.get('/widget/sanad.js', compress(), (c) => serveBundle(c, widgetBundle));

  app.openapi(
    route('public', {
      method: 'post',
      path: '/v1/widget/sessions',
      tags: ['widget'],
      summary: 'Start a chat for a visitor of an allowed site: a customer token for their conversation',
      description:
        "Anonymous: a new conversation each time. With `user` (its id signed by the site: hex HMAC-SHA256 of the id with WIDGET_IDENTITY_SECRET): the user's open conversation continues, and the token also reads their earlier conversations.",
      request: {
        body: jsonBody(
          z.strictObject({
            locale: z.enum(['ar', 'en']).optional(),
            user: z
              .strictObject({
                id: z.string().min(1).max(200),
                hash: z
                  .string()
                  .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of the id')
                  .openapi({ description: 'hex HMAC-SHA256 of `id` with the site secret' }),
                name: z.string().max(200).optional(),
              })
              .optional(),
          }),
        ),
      },
      responses: {
        201: jsonResponse(SessionSchema, 'Started'),
        401: problemResponse('The user hash does not match the id (invalid-user-hash)'),
        403: problemResponse('The calling page is not on the allow-list (origin-not-allowed)'),
        409: problemResponse('Identified visitors need WIDGET_IDENTITY_SECRET (identity-not-configured)'),
      },
    }),
    async (c) => {
      if (!originAllowed(config, c.req.url, c.req.header('origin'))) throw notAllowed();
      const { locale, user } = c.req.valid('json');
      let conversation: Conversation;
      if (user) {
        const secret = config.WIDGET_IDENTITY_SECRET;
        if (!secret) {
          throw new Problem(
            409,
            'identity-not-configured',
            'Identified visitors are not set up',
            'Set WIDGET_IDENTITY_SECRET to the secret the site signs user ids with, or start the chat without `user`.',
          );
        }
        if (!verifyUserHash(secret, user.id, user.hash)) {
          throw new Problem(
            401,
            'invalid-user-hash',
            'The user could not be verified',
            'user.hash must be the hex HMAC-SHA256 of user.id with the site secret; compute it on your server.',
          );
        }
        conversation = await inbox.continueOrOpen({
          channel: WIDGET_CHANNEL,
          contact: { externalId: `user:${user.id}`, name: user.name },
          lang: locale,
        });
      } else {
        conversation = await inbox.open({
          channel: WIDGET_CHANNEL,
          externalId: `visitor:${randomUUID()}`,
          lang: locale,
        });
      }
      const token = await createCustomerToken(db, conversation.id, config.CUSTOMER_TOKEN_TTL_HOURS, {
        identified: Boolean(user),
      });
      return c.json(
        {
          token: token.token,
          conversationId: conversation.id,
          expiresAt: token.expiresAt.toISOString(),
          identified: Boolean(user),
        },
        201,
      );
    },
  );

  app.openapi(
    route(
      { roles: [], customer: true },
      {
        method: 'get',
        path: '/v1/widget/conversations',
        tags: ['widget'],
        summary: "The visitor's conversations, newest first: the current one, and an identified user's earlier ones",
        responses: {
          200: jsonResponse(
            z.object({
              conversations: z.array(z.object({ conversation: ConversationSchema, messages: z.array(MessageSchema) })),
            }),
            'The conversations with their messages, as the customer sees them',
          ),
        },
      },
    ),
    async (c) => {
      const customer = c.get('customer');
      if (!customer) throw notAllowed();
      const rows = await db.query<Conversation>(
        customer.identified
          ? `SELECT * FROM conversations WHERE contact_id = $2 AND channel = $3
               ORDER BY (id = $1) DESC, created_at DESC LIMIT ${HISTORY_LIMIT}`
          : 'SELECT * FROM conversations WHERE id = $1',
        customer.identified ? [customer.conversationId, customer.contactId, WIDGET_CHANNEL] : [customer.conversationId],
      );
      const conversations = await Promise.all(
        rows.map(async (conversation) => ({
          conversation: conversationView(conversation),
          messages: (await listMessages(db, conversation.id)).filter(customerSees).map(customerMessageView),
        })),
      );
      return c.json({ conversations }, 200);
    },
  );

  return app;
}
