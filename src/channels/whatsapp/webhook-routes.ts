import { OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../platform/http/env.js';
import { Problem, problems } from '../../platform/http/problem.js';
import { problemResponse, route } from '../../platform/http/route.js';
import type { Platform } from '../../platform/module.js';
import { parseWebhook } from './payload.js';
import { sameSecret, validSignature } from './signature.js';

export const WEBHOOK_PATH = '/webhooks/whatsapp';

export interface WebhookSettings {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
}

/**
 * Meta's webhook: GET is the subscription handshake, POST carries messages and statuses. A POST
 * is checked against its signature over the raw bytes, stored, and answered 200 at once; a job
 * does the rest. Payloads we cannot read also get 200 (Meta would retry them for days) and a
 * log line naming why, never their content.
 */
export function webhookRoutes(
  platform: Platform,
  settings: WebhookSettings,
  accept: (payload: unknown) => Promise<void>,
): OpenAPIHono<AppEnv> {
  const { log, config } = platform;
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    route('public', {
      method: 'get',
      path: WEBHOOK_PATH,
      tags: ['whatsapp'],
      summary: "Meta's webhook verification: echoes hub.challenge when hub.verify_token matches",
      request: {
        query: z.object({
          'hub.mode': z.string().max(100).optional(),
          'hub.verify_token': z.string().max(1000).optional(),
          'hub.challenge': z.string().min(1).max(1000),
        }),
      },
      responses: {
        200: { description: 'The challenge, as text', content: { 'text/plain': { schema: z.string() } } },
        403: problemResponse('Wrong mode or verify token'),
      },
    }),
    (c) => {
      const query = c.req.valid('query');
      const token = query['hub.verify_token'] ?? '';
      if (query['hub.mode'] !== 'subscribe' || !sameSecret(token, settings.verifyToken)) {
        log.warn({ mode: query['hub.mode']?.slice(0, 20) }, 'whatsapp webhook verification refused');
        throw new Problem(
          403,
          'webhook-verification-failed',
          'Webhook verification failed',
          'hub.mode must be "subscribe" and hub.verify_token must equal WHATSAPP_VERIFY_TOKEN.',
        );
      }
      return c.text(query['hub.challenge'], 200);
    },
  );

  app.use(
    WEBHOOK_PATH,
    bodyLimit({
      maxSize: config.BODY_LIMIT_BYTES,
      onError: () => {
        throw problems.bodyTooLarge(config.BODY_LIMIT_BYTES);
      },
    }),
  );

  app.openapi(
    route('public', {
      method: 'post',
      path: WEBHOOK_PATH,
      tags: ['whatsapp'],
      summary: 'Messages and delivery statuses from the WhatsApp Cloud API',
      description:
        "Signed by Meta: X-Hub-Signature-256 is `sha256=` and the HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET. A signed payload is stored and answered 200 before it is handled; one Sanad cannot read is answered 200 too (so Meta stops retrying) and logged. See Meta's webhook reference for the body's shape.",
      responses: {
        200: {
          description: 'Received',
          content: { 'application/json': { schema: z.object({ received: z.boolean() }) } },
        },
        401: problemResponse('Missing or wrong signature'),
        413: problemResponse('Body too large'),
        429: problemResponse('Too many messages waiting to be handled (WHATSAPP_BACKLOG_MAX); sent again later'),
      },
    }),
    async (c) => {
      // The signature covers the bytes as sent: read them before anything parses the body.
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const header = c.req.header('x-hub-signature-256');
      if (!validSignature(settings.appSecret, raw, header)) {
        log.warn({ signature: header ? 'wrong' : 'missing' }, 'whatsapp webhook refused');
        throw new Problem(
          401,
          'invalid-signature',
          'Invalid webhook signature',
          header
            ? 'X-Hub-Signature-256 does not match the body: it must be the HMAC-SHA256 of the raw body with the app secret.'
            : 'Send X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>.',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch {
        log.warn({ reason: 'not UTF-8 JSON', bytes: raw.length }, 'whatsapp webhook ignored');
        return c.json({ received: false }, 200);
      }
      const parsed = parseWebhook(body, settings.phoneNumberId);
      if (!parsed.ok) {
        log.warn({ reason: parsed.reason }, 'whatsapp webhook ignored');
        return c.json({ received: false }, 200);
      }
      if (parsed.values.length === 0) {
        log.info({ skipped: parsed.skipped }, 'whatsapp webhook has nothing for Sanad');
        return c.json({ received: true }, 200);
      }
      await accept(body);
      return c.json({ received: true }, 200);
    },
  );

  return app;
}
