import type { Message } from '../inbox/index.js';
import type { StoredEvent, Subscriber } from '../platform/events/outbox.js';
import { defineJob, enqueueJob, type JobContext, processor } from '../platform/jobs/jobs.js';
import type { Platform } from '../platform/module.js';
import { type Channel, DeliveryRefused, type OutboundMessage } from './channel.js';
import { deliveryRecords } from './delivery-records.js';

export const deliverJob = defineJob('channel-deliver', (p) => ({
  messageId: String((p as { messageId: unknown }).messageId),
}));

const ATTEMPTS = 6;
// A message still queued this long after it was stored lost its job (a Redis restart, a crash).
const STALE_MS = 30_000;
const OUTBOUND_ROLES = new Set(['bot', 'agent']);

/** A bot's or agent's message still to be sent: not delivered when stored (the channel hands it over itself), nor a note. */
function toDeliver(data: Record<string, unknown> | undefined): boolean {
  const { role, deliveryStatus } = (data ?? {}) as { role?: string; deliveryStatus?: string | null };
  return role !== undefined && OUTBOUND_ROLES.has(role) && deliveryStatus === 'queued';
}

interface DeliveryRow extends Message {
  channel: string;
  external_id: string;
  conversation_status: string;
  reply_to_channel_message_id: string | null;
  last_customer_message_at: Date | null;
}

/**
 * Outbound delivery: every bot or agent message the inbox stores becomes a delivery job on its
 * conversation's channel, retried with backoff; the result is recorded on the message with a
 * `message.delivered` or `message.failed` event.
 */
export function delivery(platform: Platform, channels: Map<string, Channel>) {
  const { db, jobs, log } = platform;
  const { record } = deliveryRecords(platform);

  const subscriber: Subscriber = {
    name: 'channel-delivery',
    on: ['message.created'],
    wants: (event) => toDeliver(event.data),
    async handle(event: StoredEvent) {
      if (!toDeliver(event.data)) return;
      const { id } = event.data as { id: string };
      await enqueueJob(jobs, deliverJob, { messageId: id }, { jobId: `deliver-${id}`, attempts: ATTEMPTS });
    },
  };

  async function deliver({ messageId }: { messageId: string }, ctx: JobContext) {
    const [row] = await db.query<DeliveryRow>(
      `SELECT m.*, c.channel, c.status AS conversation_status, ct.external_id,
         (SELECT q.channel_message_id FROM messages q WHERE q.id = m.reply_to) AS reply_to_channel_message_id,
         (SELECT max(l.created_at) FROM messages l WHERE l.conversation_id = m.conversation_id AND l.role = 'customer')
           AS last_customer_message_at
       FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
       WHERE m.id = $1`,
      [messageId],
    );
    if (row?.delivery_status !== 'queued') return;
    const channel = channels.get(row.channel);
    if (!channel) {
      await record(row, 'failed', { error: `no channel named ${row.channel}` });
      return;
    }
    try {
      const receipt = await channel.deliver(outboundOf(row));
      await record(row, receipt.status, { ref: receipt.channelMessageId });
    } catch (error) {
      const reason = (error as Error).message || 'delivery failed';
      if (error instanceof DeliveryRefused || ctx.attempt >= ctx.attempts) {
        log.error({ messageId, channel: row.channel, attempts: ctx.attempt }, 'delivery failed for good');
        await record(row, 'failed', { error: reason });
        return;
      }
      throw error;
    }
  }

  /**
   * Enqueues delivery again for outbound messages still queued after `olderThanMs`: a job lost
   * with Redis or a crash must not leave a reply unsent. A delivery already done skips (its
   * status is no longer queued), and channels keep their own sends idempotent.
   */
  async function sweep(olderThanMs = STALE_MS): Promise<number> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM messages WHERE delivery_status = 'queued' AND role IN ('bot', 'agent')
         AND created_at < now() - ($1 || ' milliseconds')::interval
       ORDER BY created_at LIMIT 1000`,
      [String(olderThanMs)],
    );
    const at = Date.now().toString(36);
    for (const { id } of rows) {
      await enqueueJob(jobs, deliverJob, { messageId: id }, { jobId: `deliver-${id}-s${at}`, attempts: ATTEMPTS });
    }
    if (rows.length > 0) log.info({ messages: rows.length }, 'delivering messages left queued');
    return rows.length;
  }

  return { subscriber, job: processor(deliverJob, deliver), sweep, staleMs: STALE_MS };
}

function outboundOf(row: DeliveryRow): OutboundMessage {
  const decision = (row.meta?.decision as OutboundMessage['decision'] | undefined) ?? null;
  const botHasIt = row.conversation_status === 'bot';
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role as OutboundMessage['role'],
    content: row.content,
    lang: row.lang,
    citations: (row.citations ?? []).map((c) => ({ articleId: c.articleId, title: c.title })),
    contactExternalId: row.external_id,
    decision,
    offers: {
      feedback: row.role === 'bot' && decision === 'answer',
      human: row.role === 'bot' && botHasIt && decision !== 'handoff',
    },
    replyToChannelMessageId: row.reply_to_channel_message_id,
    survey: (row.meta?.survey as OutboundMessage['survey']) ?? null,
    lastCustomerMessageAt: row.last_customer_message_at ? new Date(row.last_customer_message_at).toISOString() : null,
  };
}
