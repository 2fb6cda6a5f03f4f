import type { Message } from '../inbox/index.js';
import { messageView } from '../inbox/index.js';
import type { StoredEvent, Subscriber } from '../platform/events/outbox.js';
import { defineJob, enqueueJob, type JobContext, processor } from '../platform/jobs/jobs.js';
import type { Platform } from '../platform/module.js';
import type { Channel, OutboundMessage } from './channel.js';

export const deliverJob = defineJob('channel-deliver', (p) => ({
  messageId: String((p as { messageId: unknown }).messageId),
}));

const ATTEMPTS = 6;
const OUTBOUND_ROLES = new Set(['bot', 'agent']);

/**
 * Outbound delivery: every bot or agent message the inbox stores becomes a delivery job on its
 * conversation's channel, retried with backoff; the result is recorded on the message with a
 * `message.delivered` or `message.failed` event.
 */
export function delivery(platform: Platform, channels: Map<string, Channel>) {
  const { db, events, jobs, log } = platform;

  const subscriber: Subscriber = {
    name: 'channel-delivery',
    on: ['message.created'],
    async handle(event: StoredEvent) {
      const { id, role } = event.data as { id: string; role: string };
      if (!OUTBOUND_ROLES.has(role)) return;
      await enqueueJob(jobs, deliverJob, { messageId: id }, { jobId: `deliver-${id}`, attempts: ATTEMPTS });
    },
  };

  async function record(message: Message, status: 'sent' | 'delivered' | 'failed', error?: string) {
    await events.transaction(async (tx, emit) => {
      const [updated] = await tx.query<Message>(
        `UPDATE messages SET delivery_status = $2, delivery_error = $3,
           delivered_at = CASE WHEN $2 = 'failed' THEN delivered_at ELSE now() END
         WHERE id = $1 AND delivery_status IN ('queued', 'sent') RETURNING *`,
        [message.id, status, error ?? null],
      );
      if (updated) {
        await emit({
          type: status === 'failed' ? 'message.failed' : 'message.delivered',
          conversationId: message.conversation_id,
          data: { ...messageView(updated), error: error ?? null },
        });
      }
    });
  }

  async function deliver({ messageId }: { messageId: string }, ctx: JobContext) {
    const [row] = await db.query<Message & { channel: string; external_id: string }>(
      `SELECT m.*, c.channel, ct.external_id FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
       WHERE m.id = $1`,
      [messageId],
    );
    if (row?.delivery_status !== 'queued') return;
    const channel = channels.get(row.channel);
    if (!channel) {
      await record(row, 'failed', `no channel named ${row.channel}`);
      return;
    }
    const outbound: OutboundMessage = {
      id: row.id,
      conversationId: row.conversation_id,
      role: row.role as OutboundMessage['role'],
      content: row.content,
      lang: row.lang,
      citations: (row.citations ?? []).map((c) => ({ articleId: c.articleId, title: c.title })),
      contactExternalId: row.external_id,
    };
    try {
      const receipt = await channel.deliver(outbound);
      await record(row, receipt.status);
    } catch (error) {
      const reason = (error as Error).message || 'delivery failed';
      if (ctx.attempt >= ctx.attempts) {
        log.error({ messageId, channel: row.channel, attempts: ctx.attempt }, 'delivery failed for good');
        await record(row, 'failed', reason);
        return;
      }
      throw error;
    }
  }

  return { subscriber, job: processor(deliverJob, deliver) };
}
