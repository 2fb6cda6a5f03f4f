import type { Message } from '../inbox/index.js';
import { messageView } from '../inbox/index.js';
import type { Platform } from '../platform/module.js';
import type { DeliveryStatusUpdate } from './channel.js';

// A status only moves forward: a late "delivered" never undoes "read". A failure can follow a send.
const RANK: Record<string, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * What became of an outbound message, recorded on it with an event: by the delivery job when
 * the channel accepts or refuses it, and later by the channel's own status callbacks.
 */
export function deliveryRecords(platform: Platform) {
  const { db, events } = platform;

  async function record(
    message: Message,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    details: { error?: string; ref?: string } = {},
  ) {
    await events.transaction(async (tx, emit) => {
      const [updated] = await tx.query<Message>(
        `UPDATE messages SET delivery_status = $2, delivery_error = $3, delivery_ref = COALESCE($4, delivery_ref),
           delivered_at = CASE WHEN $2 = 'failed' THEN delivered_at ELSE COALESCE(delivered_at, now()) END
         WHERE id = $1 AND (CASE delivery_status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2
           WHEN 'read' THEN 3 ELSE 4 END) < $5
         RETURNING *`,
        [message.id, status, details.error ?? null, details.ref ?? null, RANK[status]],
      );
      if (updated) {
        await emit({
          type: status === 'failed' ? 'message.failed' : status === 'read' ? 'message.read' : 'message.delivered',
          conversationId: message.conversation_id,
          data: { ...messageView(updated), error: details.error ?? null },
        });
      }
    });
  }

  /** A later status from the channel (delivered, read, failed), for the message it names. */
  async function updateStatus(update: DeliveryStatusUpdate): Promise<boolean> {
    const [row] = await db.query<Message>(
      `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.delivery_ref = $1 AND c.channel = $2`,
      [update.channelMessageId, update.channel],
    );
    if (!row) return false;
    await record(row, update.status, { error: update.error });
    return true;
  }

  return { record, updateStatus };
}
