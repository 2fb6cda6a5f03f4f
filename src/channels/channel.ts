import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../platform/http/env.js';

/** A message the inbox stored for the customer, as a channel sends it. */
export interface OutboundMessage {
  id: string;
  conversationId: string;
  role: 'bot' | 'agent' | 'system';
  /** Safe Markdown: no raw HTML, only http(s) and mailto links. */
  content: string;
  lang: string | null;
  citations: { articleId: string; title: string }[];
  /** The contact's id on the channel (a phone number on WhatsApp). */
  contactExternalId: string;
}

export interface DeliveryReceipt {
  status: 'sent' | 'delivered';
  /** The channel's id for the sent message (for later read receipts). */
  channelMessageId?: string;
}

/**
 * One contract for every channel. Inbound: routes that authenticate the sender, parse what it
 * sent and hand it to `inbox.receive`. Outbound: `deliver` one stored message; throwing means
 * "try again", and the delivery job retries with backoff before recording the failure.
 */
export interface Channel {
  name: string;
  routes?: () => OpenAPIHono<AppEnv>;
  deliver(message: OutboundMessage): Promise<DeliveryReceipt>;
}
