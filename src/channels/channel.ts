import type { OpenAPIHono } from '@hono/zod-openapi';
import type { DecisionKind } from '../bot/index.js';
import type { AppEnv } from '../platform/http/env.js';
import type { JobProcessor } from '../platform/jobs/jobs.js';

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
  /** The bot's decision behind a bot message (answer, handoff, clarify…); null for agents. */
  decision: DecisionKind | null;
  /** What the customer can answer with: "helpful? yes/no" under an answer, "talk to a person" while the bot has the conversation. */
  offers: { feedback: boolean; human: boolean };
  /** The channel's id of the customer message this replies to (WhatsApp quotes it). */
  replyToChannelMessageId: string | null;
  /** When the customer last wrote (WhatsApp's 24-hour customer-service window starts there). */
  lastCustomerMessageAt: string | null;
  /** A survey question: the customer answers with a score on this scale. */
  survey?: { kind: 'csat' | 'nps' | 'ces'; min: number; max: number } | null;
}

export interface DeliveryReceipt {
  status: 'sent' | 'delivered';
  /** The channel's id for the sent message: its status callbacks name it. */
  channelMessageId?: string;
}

/** A status a channel reported later for a sent message (WhatsApp's status callbacks). */
export interface DeliveryStatusUpdate {
  channel: string;
  channelMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  error?: string;
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
  /** The channel's own background work (WhatsApp handles its webhooks in a job). */
  // biome-ignore lint/suspicious/noExplicitAny: each processor parses its own payload type
  jobs?: JobProcessor<any>[];
  /** Once jobs run (recovering work a crash left); `stop` at shutdown. */
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

/**
 * Thrown by `deliver` when the channel refused the message for good (an invalid recipient,
 * outside WhatsApp's 24-hour window with no template): retrying cannot help, so the message
 * is recorded failed at once, with this reason, instead of after every attempt.
 */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
}
